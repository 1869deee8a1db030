package dev.recloser.core;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SLF4J logging of transitions: OPEN and FORCED_OPEN at WARN, every other state at INFO. A log
 * backend that throws is contained here: the transition, the listeners and the call go on.
 */
final class TransitionLog {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

    /** The same log as a listener, for {@link CircuitBreakerListener#transitionLogger()}. */
    static final CircuitBreakerListener LISTENER = new CircuitBreakerListener() {
        @Override
        public void onStateTransition(StateTransition transition) {
            if (enabled(transition.to())) {
                log(transition, transition.breaker().config());
            }
        }

        @Override
        public String toString() {
            return "CircuitBreakerListener.transitionLogger()";
        }
    };

    private TransitionLog() {
    }

    static boolean enabled(CircuitBreaker.State to) {
        return isWarn(to) ? LOG.isWarnEnabled() : LOG.isInfoEnabled();
    }

    private static boolean isWarn(CircuitBreaker.State to) {
        return to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN;
    }

    static void log(StateTransition t, CircuitBreakerConfig config) {
        try {
            write(t, config);
        } catch (RuntimeException e) {
            // Nowhere left to report it: the log itself failed. The breaker must not. Errors are
            // not caught: an appender's Error (BlockHound's BlockingOperationError in a test,
            // OutOfMemoryError) is a finding for the application, not a failing backend.
        }
    }

    private static void write(StateTransition t, CircuitBreakerConfig config) {
        CircuitBreakerMetrics m = t.metrics();
        String mode = config.metricsOnly ? " [metrics-only: calls are not rejected]" : "";
        if (t.to() == CircuitBreaker.State.OPEN) {
            LOG.warn("CircuitBreaker '{}' {} -> OPEN ({}): failure rate {} (threshold {}%), slow-call rate {} "
                            + "(threshold {}%), {} calls in window, {} failures in a row; retry after {}{}",
                    t.breakerName(), t.from(), t.reason(), rate(m.failureRate()), fmt(config.failureRateThreshold),
                    rate(m.slowCallRate()), fmt(config.slowCallRateThreshold), m.bufferedCalls(),
                    m.consecutiveFailures(), CallNotPermittedException.formatSeconds(m.remainingOpenDuration()), mode);
        } else if (t.to() == CircuitBreaker.State.FORCED_OPEN) {
            LOG.warn("CircuitBreaker '{}' {} -> FORCED_OPEN ({}){}", t.breakerName(), t.from(), t.reason(), mode);
        } else {
            LOG.info("CircuitBreaker '{}' {} -> {} ({}){}", t.breakerName(), t.from(), t.to(), t.reason(), mode);
        }
    }

    private static String rate(java.util.OptionalDouble rate) {
        return rate.isPresent() ? fmt(rate.getAsDouble()) + "%" : "n/a";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
