package dev.recloser.core;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * An immutable snapshot of a breaker's counters. Window counts cover the current sliding window
 * (the window of the last CLOSED period while OPEN or HALF_OPEN, so the figures that tripped it stay
 * visible); {@link #notPermittedCalls()} counts since creation or the last reset.
 *
 * @param state              the state when the snapshot was taken
 * @param bufferedCalls      outcomes in the window
 * @param failedCalls        failed outcomes in the window (slow or not)
 * @param slowCalls          slow outcomes in the window (failed or not)
 * @param notPermittedCalls  rejected calls since creation or the last reset
 * @param consecutiveFailures the current run of failures in a row
 * @param minimumNumberOfCalls outcomes needed before rates are defined
 * @param remainingOpenDuration see {@link CircuitBreaker#remainingOpenDuration()}
 */
public record CircuitBreakerMetrics(CircuitBreaker.State state, long bufferedCalls, long failedCalls,
                                    long slowCalls, long notPermittedCalls, int consecutiveFailures,
                                    int minimumNumberOfCalls, Duration remainingOpenDuration) {

    /** Successful outcomes in the window (slow or not). */
    public long successfulCalls() {
        return bufferedCalls - failedCalls;
    }

    /**
     * The failure rate in percent, or empty while the window holds fewer than
     * {@code minimumNumberOfCalls} outcomes (a rate over 3 calls means nothing; it is never -1).
     */
    public OptionalDouble failureRate() {
        return bufferedCalls < minimumNumberOfCalls || bufferedCalls == 0
                ? OptionalDouble.empty()
                : OptionalDouble.of(failedCalls * 100.0 / bufferedCalls);
    }

    /** The slow-call rate in percent, or empty below the minimum number of calls. */
    public OptionalDouble slowCallRate() {
        return bufferedCalls < minimumNumberOfCalls || bufferedCalls == 0
                ? OptionalDouble.empty()
                : OptionalDouble.of(slowCalls * 100.0 / bufferedCalls);
    }
}
