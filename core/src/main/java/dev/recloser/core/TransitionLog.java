package dev.recloser.core;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SLF4J logging of transitions: OPEN and FORCED_OPEN at WARN, every other state at INFO. */
final class TransitionLog {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

    private TransitionLog() {
    }

    static boolean enabled(CircuitBreaker.State to) {
        return isWarn(to) ? LOG.isWarnEnabled() : LOG.isInfoEnabled();
    }

    private static boolean isWarn(CircuitBreaker.State to) {
        return to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN;
    }

    static void log(StateTransition t, CircuitBreakerConfig config) {
        CircuitBreakerMetrics m = t.metrics();
        if (t.to() == CircuitBreaker.State.OPEN) {
            LOG.warn("CircuitBreaker '{}' {} -> OPEN ({}): failure rate {} (threshold {}%), slow-call rate {} "
                            + "(threshold {}%), {} calls in window, {} failures in a row; retry after {}",
                    t.breakerName(), t.from(), t.reason(), rate(m.failureRate()), fmt(config.failureRateThreshold),
                    rate(m.slowCallRate()), fmt(config.slowCallRateThreshold), m.bufferedCalls(),
                    m.consecutiveFailures(), CallNotPermittedException.formatSeconds(m.remainingOpenDuration()));
        } else if (t.to() == CircuitBreaker.State.FORCED_OPEN) {
            LOG.warn("CircuitBreaker '{}' {} -> FORCED_OPEN ({})", t.breakerName(), t.from(), t.reason());
        } else {
            LOG.info("CircuitBreaker '{}' {} -> {} ({})", t.breakerName(), t.from(), t.to(), t.reason());
        }
    }

    private static String rate(java.util.OptionalDouble rate) {
        return rate.isPresent() ? fmt(rate.getAsDouble()) + "%" : "n/a";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
