package dev.recloser.core.internal.window;

/**
 * A live sliding window of call outcomes owned by one circuit breaker generation.
 *
 * <p>Internal: the support interface between a {@link dev.recloser.core.SlidingWindow} description
 * and the breaker. Instances come from {@link Windows#newWindow}. {@link #counts(long)} only reads.
 *
 * <p>Thread-safety: every method may be called by any number of threads at once. Recording is
 * lock-free and allocates nothing per record (a time window allocates one small bucket per bucket
 * rotation, not per outcome; a window, or a time window's bucket, that threads contend on allocates
 * its padded per-thread success counters once); no outcome is lost under concurrency. A {@link #counts(long)} taken
 * while recorders are mid-flight may be off by at most one outcome per in-flight recorder, in
 * either direction for a count window (an eviction may be applied before the matching insertion);
 * once they return, counts are exact and equal those of a sequential model fed the same outcomes
 * in the order the window linearised them (for a count window, the order of the swaps into each
 * slot). A time window drops an outcome whose bucket is already older than the window as seen by
 * a fresher clock reading: it would have expired anyway.
 */
public interface OutcomeWindow {

    /** Outcome flag: the call succeeded (no flags set). */
    int SUCCESS = 0;
    /** Outcome flag: the call failed. */
    int FAILED = 1;
    /** Outcome flag: the call was slower than the slow-call duration threshold. */
    int SLOW = 2;

    /** Verdict: no trip condition is met (or none was evaluated). */
    int KEEP = 0;
    /** Verdict bit: the failure rate is at or above its threshold. */
    int TRIP_FAILURE_RATE = 1;
    /** Verdict bit: the slow-call rate is at or above its threshold. */
    int TRIP_SLOW_CALL_RATE = 2;

    /**
     * Records one outcome.
     *
     * <p>The trip rule is evaluated only when {@code outcome} has {@link #FAILED} or {@link #SLOW}
     * set: a fast success is the freshest evidence that the dependency works and never opens the
     * breaker on its own (it also keeps the success path to a single bucket or slot update).
     *
     * @param outcome   a combination of {@link #FAILED} and {@link #SLOW}, or {@link #SUCCESS}
     * @param nowNanos  the current {@link dev.recloser.core.NanoClock} reading; count-based windows
     *                  ignore it
     * @return {@link #KEEP}, or a combination of {@link #TRIP_FAILURE_RATE} and
     *         {@link #TRIP_SLOW_CALL_RATE}
     * @throws IllegalArgumentException if {@code outcome} has bits other than FAILED and SLOW
     */
    int record(int outcome, long nowNanos);

    /**
     * Returns the aggregate counts of the outcomes currently inside the window.
     *
     * @param nowNanos the current clock reading; count-based windows ignore it
     */
    WindowCounts counts(long nowNanos);
}
