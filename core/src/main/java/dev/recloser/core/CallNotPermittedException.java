package dev.recloser.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Signals that a circuit breaker rejected a call without running it (fast fail).
 *
 * <p>Stackless: the exception is built with suppression and stack-trace writing disabled, so a
 * rejection costs an allocation and no stack walk; the stack trace is always empty, which is the
 * point (the interesting stack is the caller's, and a fast-fail path may raise it millions of times).
 * Immutable and safe to share across threads.
 */
public final class CallNotPermittedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String breakerName;
    private final CircuitBreaker.State state;
    private final long retryAfterNanos;
    /** The caller's Duration when it was built from one (exact even beyond ~292 years), else null. */
    private final transient Duration retryAfterDuration;

    /**
     * @param breakerName the rejecting breaker's name
     * @param state       the state that rejected the call (OPEN, HALF_OPEN or FORCED_OPEN)
     * @param retryAfter  how long until the breaker will admit a trial call; zero if it may already
     *                    admit one (e.g. HALF_OPEN with all permits taken)
     */
    public CallNotPermittedException(String breakerName, CircuitBreaker.State state, Duration retryAfter) {
        super(null, null, false, false);
        this.breakerName = Objects.requireNonNull(breakerName, "breakerName");
        this.state = Objects.requireNonNull(state, "state");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must be >= 0, was " + retryAfter);
        }
        this.retryAfterDuration = retryAfter;
        // Beyond ~292 years the nanosecond form saturates; retryAfter() still returns the exact Duration.
        this.retryAfterNanos = retryAfter.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : retryAfter.toNanos();
    }

    private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    /**
     * The allocation-lean form used by breakers: the retry-after in nanoseconds ({@code >= 0}); the
     * {@link Duration} is built only when {@link #retryAfter()} is asked for.
     */
    public CallNotPermittedException(String breakerName, CircuitBreaker.State state, long retryAfterNanos) {
        super(null, null, false, false);
        this.breakerName = Objects.requireNonNull(breakerName, "breakerName");
        this.state = Objects.requireNonNull(state, "state");
        if (retryAfterNanos < 0) {
            throw new IllegalArgumentException("retryAfterNanos must be >= 0, was " + retryAfterNanos);
        }
        this.retryAfterNanos = retryAfterNanos;
        this.retryAfterDuration = null;
    }

    /** The name of the breaker that rejected the call. */
    public String breakerName() {
        return breakerName;
    }

    /** The state that rejected the call. */
    public CircuitBreaker.State state() {
        return state;
    }

    /** How long until the breaker will admit a trial call (never negative). */
    public Duration retryAfter() {
        Duration d = retryAfterDuration;
        return d != null ? d : Duration.ofNanos(retryAfterNanos);
    }

    /** {@link #retryAfter()} in nanoseconds, without allocating ({@code Long.MAX_VALUE} if longer). */
    public long retryAfterNanos() {
        return retryAfterNanos;
    }

    /** Built lazily: the message is only paid for when somebody logs the exception. */
    @Override
    public String getMessage() {
        return "CircuitBreaker '" + breakerName + "' is " + state + "; retry after " + formatSeconds(retryAfter());
    }

    /**
     * Seconds with one decimal, truncated. Works on the seconds and nanos fields rather than
     * {@code toMillis()}, which overflows beyond ~292 million years: a message must never throw.
     */
    static String formatSeconds(Duration d) {
        return d.getSeconds() + "." + d.getNano() / 100_000_000 + " s";
    }
}
