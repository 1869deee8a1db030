package dev.recloser.benchmarks;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.SlidingWindow;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;

/**
 * The breakers under comparison, built with the same settings in each library so that a benchmark
 * compares the libraries and not their defaults: trip at 50% failures once 20 outcomes are in the
 * window, over the last 100 calls or the last 60 s, and stay open for an hour (long enough that
 * no benchmark iteration ever sees the open wait elapse).
 *
 * <p>Where the libraries cannot be configured alike, the nearest setting is used and the
 * difference is written here and in {@code docs/benchmarks.md}:
 * <ul>
 *   <li>time window granularity: Recloser 12 buckets of 5 s, Resilience4j one bucket per second
 *       (60, fixed by the library), Failsafe 10 buckets of 6 s (fixed by the library);</li>
 *   <li>Failsafe's nearest rules: "50 failures out of the last 100 executions" for the count window
 *       (it has no minimum number of calls there, so it trips on 50 failures rather than on 50% of
 *       at least 20 calls) and "50% of at least 20 executions in 60 s" for the time window. Only
 *       the open path depends on the rule, and there every breaker is simply open.</li>
 * </ul>
 */
final class Peers {

    static final int COUNT_WINDOW_SIZE = 100;
    static final Duration TIME_WINDOW_LENGTH = Duration.ofSeconds(60);
    static final int RECLOSER_TIME_BUCKETS = 12;
    static final int FAILURE_RATE_PERCENT = 50;
    static final int MINIMUM_NUMBER_OF_CALLS = 20;
    static final Duration OPEN_WAIT = Duration.ofHours(1);

    private Peers() {
    }

    static CircuitBreaker recloser(Window window) {
        CircuitBreakerConfig config = CircuitBreakerConfig.builder()
                .slidingWindow(window == Window.COUNT
                        ? SlidingWindow.countBased(COUNT_WINDOW_SIZE)
                        : SlidingWindow.timeBased(TIME_WINDOW_LENGTH, RECLOSER_TIME_BUCKETS))
                .failureRateThreshold(FAILURE_RATE_PERCENT)
                .minimumNumberOfCalls(MINIMUM_NUMBER_OF_CALLS)
                .waitDurationInOpenState(OPEN_WAIT)
                .openStateBackoff(1.0, OPEN_WAIT)
                .openStateJitter(0.0)
                .build();
        return CircuitBreaker.of("recloser-" + window, config);
    }

    static io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j(
            Window window, SlidingWindowSynchronizationStrategy strategy) {
        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig config =
                io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                        .slidingWindow(
                                window == Window.COUNT ? COUNT_WINDOW_SIZE : (int) TIME_WINDOW_LENGTH.toSeconds(),
                                MINIMUM_NUMBER_OF_CALLS,
                                window == Window.COUNT ? SlidingWindowType.COUNT_BASED : SlidingWindowType.TIME_BASED,
                                strategy)
                        .failureRateThreshold(FAILURE_RATE_PERCENT)
                        .waitDurationInOpenState(OPEN_WAIT)
                        .build();
        return io.github.resilience4j.circuitbreaker.CircuitBreaker.of("resilience4j-" + window + "-" + strategy, config);
    }

    static dev.failsafe.CircuitBreaker<Object> failsafe(Window window) {
        dev.failsafe.CircuitBreakerBuilder<Object> builder = dev.failsafe.CircuitBreaker.builder()
                .withDelay(OPEN_WAIT);
        if (window == Window.COUNT) {
            builder.withFailureThreshold(COUNT_WINDOW_SIZE * FAILURE_RATE_PERCENT / 100, COUNT_WINDOW_SIZE);
        } else {
            builder.withFailureRateThreshold(FAILURE_RATE_PERCENT, MINIMUM_NUMBER_OF_CALLS, TIME_WINDOW_LENGTH);
        }
        return builder.build();
    }
}
