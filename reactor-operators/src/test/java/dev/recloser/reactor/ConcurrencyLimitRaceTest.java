package dev.recloser.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.testing.RaceSupport;
import dev.recloser.core.limit.AimdLimit;
import dev.recloser.core.limit.ConcurrencyLimitConfig;
import dev.recloser.core.limit.ConcurrencyLimiter;
import dev.recloser.core.limit.VegasLimit;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Sinks;
import reactor.test.util.RaceTestUtils;

/**
 * The limiter and its operator under races, with real limiters. Iterations:
 * {@code -Drecloser.limit.race.iterations} (default 5 x {@code recloser.race.iterations}, i.e.
 * 10,000 in CI; run with 100,000 or more to go further). Every settle of a permit that was already settled
 * would throw from the limiter (its count would go below zero), and a lost one would leave the count
 * above zero: both fail here.
 */
class ConcurrencyLimitRaceTest {

    private static final int ITERATIONS = Integer.getInteger("recloser.limit.race.iterations",
            5 * RaceSupport.iterations());

    @BeforeEach
    void quietDroppedErrors() {
        Hooks.onErrorDropped(e -> { });
    }

    @AfterEach
    void resetHooks() {
        Hooks.resetOnErrorDropped();
    }

    /** System clock, 1 ms windows of 1 sample, every call sampled: the limit moves during the races. */
    private static ConcurrencyLimiter moving(int initial, int max) {
        return ConcurrencyLimiter.of("race", ConcurrencyLimitConfig.builder()
                .algorithm(AimdLimit.builder().initialLimit(initial).minLimit(1).maxLimit(max)
                        .timeout(Duration.ofNanos(20_000)).build())
                .window(Duration.ofMillis(1)).minSamples(1).minRttThreshold(Duration.ZERO).build());
    }

    @Test
    void valueErrorAndCancelRacingSettleEachPermitExactlyOnce() {
        ConcurrencyLimiter l = ConcurrencyLimiter.of("race", ConcurrencyLimitConfig.builder()
                .algorithm(VegasLimit.builder().initialLimit(4).minLimit(4).maxLimit(4).build())
                .window(Duration.ofMillis(1)).minSamples(1).minRttThreshold(Duration.ZERO).build());
        for (int i = 0; i < ITERATIONS; i++) {
            Sinks.One<Integer> one = Sinks.one();
            Sinks.Empty<Void> empty = Sinks.empty();
            Quiet<Integer> a = new Quiet<>();
            Quiet<Void> b = new Quiet<>();
            one.asMono().transform(ConcurrencyLimitOperator.<Integer>of(l)).subscribe(a);
            empty.asMono().transform(ConcurrencyLimitOperator.<Void>of(l)).subscribe(b);
            assertThat(l.inFlight()).isEqualTo(2);
            int value = i;
            Runnable second = (i & 1) == 0 ? empty::tryEmitEmpty : () -> empty.tryEmitError(new TimeoutException("t"));
            RaceTestUtils.race(() -> one.tryEmitValue(value), a::cancel, second, b::cancel);
            assertThat(l.inFlight()).as("iteration %d", i).isZero();
        }
        assertThat(l.rejectedCalls()).isZero();
    }

    @Test
    void racingAcquiresNeverPassTheLimitTheyReadAndTheCountReturnsToZero() {
        // A window that never closes: the limit stays 3, so in flight must never exceed it at all
        // (stronger than "by at most the racing threads": admission is a CAS against the limit).
        ConcurrencyLimiter l = ConcurrencyLimiter.of("race", ConcurrencyLimitConfig.builder()
                .algorithm(AimdLimit.builder().initialLimit(3).minLimit(1).build())
                .window(Duration.ofDays(1)).build());
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();
        Runnable caller = () -> {
            Sinks.Empty<Void> sink = Sinks.empty();
            Quiet<Void> s = new Quiet<>();
            sink.asMono().transform(ConcurrencyLimitOperator.<Void>of(l)).subscribe(s);
            maxSeen.accumulateAndGet(l.inFlight(), Math::max);
            if (!s.failed) {
                admitted.incrementAndGet();
            }
            sink.tryEmitEmpty();
        };
        for (int i = 0; i < ITERATIONS; i++) {
            RaceTestUtils.race(caller, caller, caller, caller);
            assertThat(l.inFlight()).as("iteration %d", i).isZero();
        }
        assertThat(maxSeen.get()).isBetween(1, 3);
        assertThat(admitted.get() + l.rejectedCalls()).isEqualTo(4L * ITERATIONS);
    }

    @Test
    void withTheLimitMovingUnderneathInFlightStaysWithinTheLargestLimitPlusTheRacersAndReturnsToZero() {
        int max = 8;
        ConcurrencyLimiter l = moving(2, max);
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger limitsSeen = new AtomicInteger();
        Runnable caller = () -> {
            Sinks.One<Integer> sink = Sinks.one();
            Quiet<Integer> s = new Quiet<>();
            sink.asMono().transform(ConcurrencyLimitOperator.<Integer>of(l)).subscribe(s);
            maxSeen.accumulateAndGet(l.inFlight(), Math::max);
            limitsSeen.accumulateAndGet(l.limit(), Math::max);
            if ((System.nanoTime() & 1) == 0) {
                sink.tryEmitValue(1);
            } else {
                sink.tryEmitError(new IOException("x"));
            }
        };
        Runnable canceller = () -> {
            Sinks.Empty<Void> sink = Sinks.empty();
            Quiet<Void> s = new Quiet<>();
            sink.asMono().transform(ConcurrencyLimitOperator.<Void>of(l)).subscribe(s);
            RaceTestUtils.race(sink::tryEmitEmpty, s::cancel);
        };
        for (int i = 0; i < ITERATIONS; i++) {
            RaceTestUtils.race(caller, caller, canceller);
            assertThat(l.inFlight()).as("iteration %d", i).isZero();
        }
        assertThat(maxSeen.get()).isLessThanOrEqualTo(max + 3);
        assertThat(l.windows()).as("the limit was updated while racing").isPositive();
    }

    static final class Quiet<T> extends BaseSubscriber<T> {
        volatile boolean failed;

        @Override
        protected void hookOnError(Throwable throwable) {
            failed = true; // expected: a rejection or one of the racing outcomes
        }
    }
}
