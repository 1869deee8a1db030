package dev.recloser.core;

/** The open-state wait for the n-th consecutive trip: exponential growth, a cap, then jitter. */
final class OpenWait {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OpenWait.class);

    private OpenWait() {
    }

    /**
     * @param trips 1 for the first trip since the breaker last closed
     * @return the wait in nanoseconds, in [base*(1-jitter), cap], at least 1
     */
    static long nanos(CircuitBreakerConfig config, int trips) {
        double cap = config.maxWaitDurationInOpenStateNanos;
        // pow() saturates to +Infinity for huge exponents, and min() then yields the cap: no overflow.
        double wait = Math.min(cap, config.waitDurationInOpenStateNanos
                * Math.pow(config.openStateBackoffMultiplier, Math.max(0, trips - 1)));
        double jitter = config.openStateJitter;
        if (jitter > 0.0) {
            double r = config.random.getAsDouble();
            if (r >= 0.0 && r < 1.0) {
                wait = Math.min(cap, wait * (1.0 - jitter + 2.0 * jitter * r));
            } else {
                // A user's random source broke its contract. Throwing here would fail the call that
                // trips the breaker (and leave it closed); the wait goes unjittered instead, loudly.
                LOG.warn("randomSource of the open-wait jitter must yield values in [0, 1), was {}; "
                        + "this trip's wait is not jittered", r);
            }
        }
        return Math.max(1L, (long) wait);
    }
}
