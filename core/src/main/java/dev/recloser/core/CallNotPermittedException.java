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
    private final transient Duration retryAfter;

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
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
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
        return retryAfter;
    }

    /** Built lazily: the message is only paid for when somebody logs the exception. */
    @Override
    public String getMessage() {
        return "CircuitBreaker '" + breakerName + "' is " + state + "; retry after " + formatSeconds(retryAfter);
    }

    static String formatSeconds(Duration d) {
        long millis = d.toMillis();
        return (millis / 1000) + "." + (millis % 1000) / 100 + " s";
    }
}
