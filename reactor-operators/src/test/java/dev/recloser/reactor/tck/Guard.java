package dev.recloser.reactor.tck;

import dev.recloser.core.Bulkhead;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.limit.AimdLimit;
import dev.recloser.core.limit.ConcurrencyLimitConfig;
import dev.recloser.core.limit.ConcurrencyLimiter;
import dev.recloser.core.retry.Backoff;
import dev.recloser.core.retry.RetryPolicy;
import dev.recloser.reactor.BulkheadOperator;
import dev.recloser.reactor.CircuitBreakerOperator;
import dev.recloser.reactor.ConcurrencyLimitOperator;
import dev.recloser.reactor.Resilience;
import dev.recloser.reactor.RetryOperator;
import dev.recloser.reactor.TimeoutOperator;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;

/**
 * Each operator of the module (and two compositions) as the TCK sees it: how it guards a source,
 * and what its failed publisher is.
 *
 * <p>Every publisher gets its own breaker, bulkhead and limiter, so that what one test leaves behind
 * (a subscription the TCK never ends, an error a rule provokes) cannot change the next test's
 * publisher. Limits are far above what one test subscribes, and timeouts far above how long one
 * test runs: on the TCK's working publishers the operators must be transparent.
 *
 * <p>Failed publishers: where the operator has a failure of its own, that is the failed publisher
 * (an open breaker's fast fail, a full bulkhead, a limiter at its limit, retries exhausted);
 * otherwise the operator applied to a failing source.
 */
public enum Guard {

    CIRCUIT_BREAKER {
        @Override
        Publisher<Integer> apply(Publisher<Integer> source) {
            return CircuitBreakerOperator.<Integer>of(CircuitBreaker.ofDefaults("tck")).apply(source);
        }

        @Override
        Publisher<Integer> failed(Shape shape) {
            return CircuitBreakerOperator.<Integer>of(openBreaker()).apply(shape.source(1));
        }
    },

    RETRY {
        @Override
        Publisher<Integer> apply(Publisher<Integer> source) {
            return RetryOperator.<Integer>of(retryPolicy()).apply(source);
        }

        /** Every attempt fails; the third failure ends the call with RetryExhaustedException. */
        @Override
        Publisher<Integer> failed(Shape shape) {
            return RetryOperator.<Integer>of(retryPolicy()).apply(shape.error(new IllegalStateException("tck")));
        }
    },

    TIMEOUT {
        @Override
        Publisher<Integer> apply(Publisher<Integer> source) {
            return TimeoutOperator.<Integer>of(LONG).apply(source);
        }

        @Override
        Publisher<Integer> failed(Shape shape) {
            return apply(shape.error(new IllegalStateException("tck")));
        }
    },

    TIMEOUT_PER_ELEMENT {
        @Override
        Publisher<Integer> apply(Publisher<Integer> source) {
            return TimeoutOperator.<Integer>perElement(LONG).apply(source);
        }

        @Override
        Publisher<Integer> failed(Shape shape) {
            return apply(shape.error(new IllegalStateException("tck")));
        }
    },

    BULKHEAD {
        @Override
        Publisher<Integer> apply(Publisher<Integer> source) {
            return BulkheadOperator.<Integer>of(Bulkhead.of("tck", LIMIT)).apply(source);
        }

        @Override
        Publisher<Integer> failed(Shape shape) {
            Bulkhead full = Bulkhead.of("tck-full", 1);
            if (!full.tryAcquire()) {
                throw new AssertionError("a fresh bulkhead of one refused its permit");
            }
            return BulkheadOperator.<Integer>of(full).apply(shape.source(1));
        }
    },

    CONCURRENCY_LIMIT {
        @Override
        Publisher<Integer> apply(Publisher<Integer> source) {
            return ConcurrencyLimitOperator.<Integer>of(limiter("tck", LIMIT)).apply(source);
        }

        @Override
        Publisher<Integer> failed(Shape shape) {
            ConcurrencyLimiter atLimit = limiter("tck-full", 1);
            if (atLimit.tryAcquire() == ConcurrencyLimiter.NO_PERMIT) {
                throw new AssertionError("a fresh limiter of one refused its permit");
            }
            return ConcurrencyLimitOperator.<Integer>of(atLimit).apply(shape.source(1));
        }
    },

    /** The composition of the {@code Resilience} example: retry, then breaker, then timeout. */
    PIPELINE {
        @Override
        Publisher<Integer> apply(Publisher<Integer> source) {
            return Resilience.pipeline().retry(retryPolicy()).circuitBreaker(CircuitBreaker.ofDefaults("tck"))
                    .timeout(LONG).<Integer>build().apply(source);
        }

        /** A failing source, through all three: the retry gives up after three attempts. */
        @Override
        Publisher<Integer> failed(Shape shape) {
            return apply(shape.error(new IllegalStateException("tck")));
        }
    },

    /** {@code Resilience.standard()} with every stage. */
    STANDARD {
        @Override
        Publisher<Integer> apply(Publisher<Integer> source) {
            return Guard.<Integer>standard(CircuitBreaker.ofDefaults("tck")).apply(source);
        }

        /**
         * The breaker inside is open: each attempt is rejected without reaching the source, and the
         * retry (which does not wait for an open breaker) passes the rejection on.
         */
        @Override
        Publisher<Integer> failed(Shape shape) {
            return Guard.<Integer>standard(openBreaker()).apply(shape.source(1));
        }
    };

    /** A timeout no test comes near: the guarded publisher never times out in a TCK run. */
    static final Duration LONG = Duration.ofSeconds(30);
    /** Bulkhead and limiter capacity: far above the subscriptions one test makes. */
    static final int LIMIT = 1_000;

    /** The operator guarding {@code source}, with fresh resources. */
    abstract Publisher<Integer> apply(Publisher<Integer> source);

    /** A publisher of the operator that signals {@code onSubscribe} then {@code onError}. */
    abstract Publisher<Integer> failed(Shape shape);

    static RetryPolicy retryPolicy() {
        return RetryPolicy.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(1))).build();
    }

    static CircuitBreaker openBreaker() {
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("tck-open");
        breaker.transitionToOpenFor(Duration.ofMinutes(10));
        return breaker;
    }

    static ConcurrencyLimiter limiter(String name, int limit) {
        return ConcurrencyLimiter.of(name, ConcurrencyLimitConfig.builder()
                .algorithm(AimdLimit.builder().initialLimit(limit).minLimit(1).maxLimit(limit).build()).build());
    }

    static <T> UnaryOperator<Publisher<T>> standard(CircuitBreaker breaker) {
        return Resilience.standard()
                .bulkhead(Bulkhead.of("tck", LIMIT))
                .totalTimeout(LONG)
                .retry(retryPolicy())
                .concurrencyLimit(limiter("tck", LIMIT))
                .circuitBreaker(breaker)
                .attemptTimeout(LONG)
                .build();
    }
}
