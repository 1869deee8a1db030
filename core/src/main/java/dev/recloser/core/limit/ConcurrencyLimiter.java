package dev.recloser.core.limit;

import java.util.Objects;

/**
 * An adaptive concurrency limit: at most {@link #limit()} calls in flight, with a limit that an
 * algorithm ({@link AimdLimit}, {@link VegasLimit}, {@link Gradient2Limit}) moves from the calls'
 * latencies and drops, once per sample window (see {@link ConcurrencyLimitConfig}).
 *
 * <p>Protocol: {@link #tryAcquire()} returns a permit, or {@link #NO_PERMIT} when the limit is
 * reached (the call must then not run; nothing ever waits). Every permit must be settled exactly
 * once by one of {@link #onSuccess(long)} (the call's latency is a sample), {@link #onDropped(long)}
 * (the call showed overload: a timeout, a 503; a sample that also tells the algorithm to back off)
 * or {@link #onIgnore(long)} (no sample: a cancellation, an error that says nothing about load).
 * Any thread may settle a permit another thread acquired.
 *
 * <p>Thread-safe and lock-free. Acquiring is one read of the limit and one CAS of the in-flight
 * count (one clock reading for the permit); a rejection is a read and a counter increment. Settling
 * is an atomic decrement, a clock reading and a few atomic updates of the current window; the
 * thread whose release finds the window over closes it by one CAS and alone runs the algorithm
 * (the others go on). Nothing allocates except that winner (one small window object and estimate
 * per window). The in-flight count may exceed the limit only after the limit has come down below
 * calls already admitted; it never exceeds the limit by admissions.
 */
public interface ConcurrencyLimiter {

    /** What {@link #tryAcquire()} returns when the limit is reached. */
    long NO_PERMIT = Long.MIN_VALUE;

    /**
     * A limiter starting at its algorithm's initial limit.
     *
     * @param name   identifies the limiter in exceptions, metrics and logs; not blank
     * @param config its settings
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws NullPointerException     if an argument is null
     */
    static ConcurrencyLimiter of(String name, ConcurrencyLimitConfig config) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
        }
        return new DefaultConcurrencyLimiter(name, Objects.requireNonNull(config, "config"));
    }

    /** A limiter with {@link ConcurrencyLimitConfig#defaults()}. */
    static ConcurrencyLimiter ofDefaults(String name) {
        return of(name, ConcurrencyLimitConfig.defaults());
    }

    /**
     * Admits a call if fewer than {@link #limit()} are in flight: returns its permit (to pass to
     * exactly one of the settle methods), else counts a rejection and returns {@link #NO_PERMIT}.
     * Never blocks. The permit is the call's start time on the config's clock.
     */
    long tryAcquire();

    /** Settles a permit of a call that succeeded; its latency is sampled. */
    void onSuccess(long permit);

    /** Settles a permit of a call that showed overload (timed out, was refused as overloaded). */
    void onDropped(long permit);

    /** Settles a permit without a sample (cancelled, or failed in a way that says nothing about load). */
    void onIgnore(long permit);

    /** The limiter's name. */
    String name();

    /** The limiter's settings. */
    ConcurrencyLimitConfig config();

    /** The current limit; may change at any moment. */
    int limit();

    /** The calls admitted and not yet settled; for monitoring. */
    int inFlight();

    /**
     * Rejected {@link #tryAcquire()} calls since creation; concurrent rejections may or may not be
     * included (a {@code LongAdder} sum).
     */
    long rejectedCalls();

    /**
     * The latency the algorithm last used (the average of the last window that fed it), in
     * nanoseconds; 0 before the first such window.
     */
    long latencyNanos();

    /** Sample windows closed since creation (whether or not they held enough samples). */
    long windows();

    /** A new stackless {@link LimitExceededException} with the current limit, to signal a rejection. */
    LimitExceededException limitExceeded();
}
