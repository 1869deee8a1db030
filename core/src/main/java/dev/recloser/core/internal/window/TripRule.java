package dev.recloser.core.internal.window;

/**
 * The rate-based trip conditions a window evaluates when a failed or slow outcome is recorded.
 *
 * <p>Immutable and thread-safe. A condition holds when at least {@code minimumNumberOfCalls}
 * outcomes are in the window and the rate (in percent) is at or above its threshold.
 *
 * @param minimumNumberOfCalls   outcomes needed before any rate is evaluated, at least 1
 * @param failureRateThreshold   percent in (0, 100]
 * @param slowCallRateThreshold  percent in (0, 100]
 */
public record TripRule(int minimumNumberOfCalls, double failureRateThreshold, double slowCallRateThreshold) {

    public TripRule {
        if (minimumNumberOfCalls < 1) {
            throw new IllegalArgumentException("minimumNumberOfCalls must be >= 1, was " + minimumNumberOfCalls);
        }
        checkPercent("failureRateThreshold", failureRateThreshold);
        checkPercent("slowCallRateThreshold", slowCallRateThreshold);
    }

    private static void checkPercent(String option, double value) {
        if (!(value > 0.0 && value <= 100.0)) { // also rejects NaN
            throw new IllegalArgumentException(option + " must be in (0, 100] percent, was " + value);
        }
    }

    /**
     * Evaluates the rule on aggregate counts.
     *
     * @return {@link OutcomeWindow#KEEP} or a combination of {@link OutcomeWindow#TRIP_FAILURE_RATE}
     *         and {@link OutcomeWindow#TRIP_SLOW_CALL_RATE}
     */
    public int evaluate(long calls, long failedCalls, long slowCalls) {
        if (calls < minimumNumberOfCalls) {
            return OutcomeWindow.KEEP;
        }
        // Multiply instead of divide: exact for counts below 2^53 and no division on the hot path.
        double scaled = calls;
        int verdict = OutcomeWindow.KEEP;
        if (failedCalls * 100.0 >= failureRateThreshold * scaled) {
            verdict |= OutcomeWindow.TRIP_FAILURE_RATE;
        }
        if (slowCalls * 100.0 >= slowCallRateThreshold * scaled) {
            verdict |= OutcomeWindow.TRIP_SLOW_CALL_RATE;
        }
        return verdict;
    }
}
