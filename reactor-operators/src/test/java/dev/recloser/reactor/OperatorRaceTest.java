package dev.recloser.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.Bulkhead;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreaker.State;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.testing.ManualClock;
import dev.recloser.testing.RaceSupport;
import dev.recloser.core.SlidingWindow;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.util.RaceTestUtils;

/**
 * Completion, error and cancel racing on two threads: exactly one outcome or release per permit,
 * counted by real breakers and bulkheads. Iterations: {@code -Drecloser.race.iterations} (default 2000).
 */
class OperatorRaceTest {

    private static final IOException BOOM = new IOException("boom");
    private final ManualClock clock = new ManualClock();
    private final int iterations = RaceSupport.iterations();

    @BeforeEach
    void quietDroppedErrors() {
        // An error that loses the race to a cancel is dropped by design; keep the log readable.
        Hooks.onErrorDropped(e -> { });
    }

    @AfterEach
    void resetHooks() {
        Hooks.resetOnErrorDropped();
    }

    private CircuitBreaker bigWindow() {
        // Thresholds at 100% and a minimum above the iteration count: nothing trips, every outcome stays countable.
        return CircuitBreaker.of("race", CircuitBreakerConfig.builder().clock(clock)
                .slidingWindow(SlidingWindow.countBased(iterations + 1)).minimumNumberOfCalls(iterations + 1)
                .failureRateThreshold(100).build());
    }

    @Test
    void completeVersusCancelReportsExactlyOneOutcomePerPermit() {
        CircuitBreaker b = bigWindow();
        for (int i = 0; i < iterations; i++) {
            Sinks.Empty<Void> sink = Sinks.empty();
            Quiet<Void> subscriber = new Quiet<>();
            // Cancel counts as a failure so that both racers leave a visible outcome.
            sink.asMono().transform(CircuitBreakerOperator.<Void>of(b).onCancel(CancelOutcome.FAILURE)).subscribe(subscriber);
            RaceTestUtils.race(sink::tryEmitEmpty, subscriber::cancel);
        }
        assertThat(b.metrics().bufferedCalls()).isEqualTo(iterations);
    }

    @Test
    void errorVersusCancelReportsExactlyOneOutcomePerPermit() {
        CircuitBreaker b = bigWindow();
        for (int i = 0; i < iterations; i++) {
            Sinks.One<Integer> sink = Sinks.one();
            Quiet<Integer> subscriber = new Quiet<>();
            sink.asMono().transform(CircuitBreakerOperator.<Integer>of(b).onCancel(CancelOutcome.SUCCESS)).subscribe(subscriber);
            RaceTestUtils.race(() -> sink.tryEmitError(new IOException("boom")), subscriber::cancel);
        }
        assertThat(b.metrics().bufferedCalls()).isEqualTo(iterations);
        assertThat(b.metrics().failedCalls() + b.metrics().successfulCalls()).isEqualTo(iterations);
    }

    @Test
    void valueVersusCancelInHalfOpenReleasesOrSettlesTheTrialNeverBoth() {
        for (int i = 0; i < iterations / 2; i++) {
            CircuitBreaker b = CircuitBreaker.of("trial", CircuitBreakerConfig.builder().clock(clock)
                    .slidingWindow(SlidingWindow.countBased(2)).minimumNumberOfCalls(2).openStateJitter(0)
                    .waitDurationInOpenState(Duration.ofSeconds(1)).openStateBackoff(1, Duration.ofSeconds(1))
                    .permittedCallsInHalfOpenState(1).build());
            b.transitionToClosed();
            b.onError(b.tryAcquirePermit(), 1, BOOM);
            b.onError(b.tryAcquirePermit(), 1, BOOM);
            clock.advance(Duration.ofSeconds(1));
            Sinks.One<Integer> sink = Sinks.one();
            Quiet<Integer> subscriber = new Quiet<>();
            sink.asMono().transform(CircuitBreakerOperator.of(b)).subscribe(subscriber);
            assertThat(b.state()).isEqualTo(State.HALF_OPEN);
            RaceTestUtils.race(() -> sink.tryEmitValue(1), subscriber::cancel);
            if (b.state() == State.HALF_OPEN) {
                // Cancel won: the trial permit came back and a new trial can run and close it.
                long p = b.tryAcquirePermit();
                assertThat(p).isNotEqualTo(CircuitBreaker.NO_PERMIT);
                b.onSuccess(p, 1);
            }
            assertThat(b.state()).isEqualTo(State.CLOSED);
        }
    }

    @Test
    void cancelStormsInHalfOpenNeverLeaveTheBreakerStuck() {
        CircuitBreaker b = CircuitBreaker.of("storm", CircuitBreakerConfig.builder().clock(clock)
                .slidingWindow(SlidingWindow.countBased(2)).minimumNumberOfCalls(2).openStateJitter(0)
                .waitDurationInOpenState(Duration.ofSeconds(1)).openStateBackoff(1, Duration.ofSeconds(1))
                .permittedCallsInHalfOpenState(2).build());
        b.onError(b.tryAcquirePermit(), 1, BOOM);
        b.onError(b.tryAcquirePermit(), 1, BOOM);
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < iterations; i++) {
            Quiet<Object> first = new Quiet<>();
            Quiet<Object> second = new Quiet<>();
            Mono.never().transform(CircuitBreakerOperator.of(b)).subscribe(first);
            Flux.never().transform(CircuitBreakerOperator.of(b)).subscribe(second);
            RaceTestUtils.race(first::cancel, second::cancel);
            assertThat(b.state()).isEqualTo(State.HALF_OPEN);
        }
        // After thousands of cancelled trials both permits are still available.
        long p1 = b.tryAcquirePermit();
        long p2 = b.tryAcquirePermit();
        assertThat(p1).isNotEqualTo(CircuitBreaker.NO_PERMIT);
        assertThat(p2).isNotEqualTo(CircuitBreaker.NO_PERMIT);
        assertThat(b.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);
    }

    @Test
    void bulkheadReleasesExactlyOnceWhateverWinsTheRace() {
        Bulkhead bulkhead = Bulkhead.of("race", 2);
        for (int i = 0; i < iterations; i++) {
            Sinks.One<Integer> one = Sinks.one();
            Sinks.Many<Integer> many = Sinks.many().unicast().onBackpressureBuffer();
            Quiet<Integer> a = new Quiet<>();
            Quiet<Integer> c = new Quiet<>();
            one.asMono().transform(BulkheadOperator.of(bulkhead)).subscribe(a);
            many.asFlux().transform(BulkheadOperator.of(bulkhead)).subscribe(c);
            assertThat(bulkhead.availablePermits()).isZero();
            // An extra release would throw inside the bulkhead; a missing one would leak a permit.
            int value = i;
            RaceTestUtils.race(() -> one.tryEmitValue(value), a::cancel, () -> many.tryEmitError(new IOException("boom")), c::cancel);
            assertThat(bulkhead.availablePermits()).isEqualTo(2);
        }
        assertThat(bulkhead.rejectedCalls()).isZero();
    }

    @Test
    void monoValueVersusTimeoutGivesEitherTheValueOrTheTimeoutNeverBoth() {
        for (int i = 0; i < iterations; i++) {
            reactor.test.scheduler.VirtualTimeScheduler vts = reactor.test.scheduler.VirtualTimeScheduler.create();
            Sinks.One<Integer> sink = Sinks.one();
            java.util.List<String> signals = new java.util.concurrent.CopyOnWriteArrayList<>();
            sink.asMono().transform(TimeoutOperator.<Integer>of(Duration.ofSeconds(1)).scheduler(() -> vts))
                    .subscribe(new BaseSubscriber<Integer>() {
                        // Not a lambda subscriber: that one treats a Mono's value as the end and would hide a late error.
                        @Override
                        protected void hookOnNext(Integer v) {
                            signals.add("next");
                            for (int spin = 0; spin < 2_000; spin++) {
                                Thread.onSpinWait(); // widen the window in which the timer can fire mid-onNext
                            }
                        }

                        @Override
                        protected void hookOnError(Throwable e) {
                            signals.add("error");
                        }

                        @Override
                        protected void hookOnComplete() {
                            signals.add("complete");
                        }
                    });
            RaceTestUtils.race(() -> sink.tryEmitValue(1), () -> vts.advanceTimeBy(Duration.ofSeconds(1)));
            String outcome = String.join(",", signals);
            assertThat(outcome).isIn("next,complete", "error");
        }
    }

    /** A subscriber that accepts errors quietly: the races end in errors on purpose. */
    static final class Quiet<T> extends BaseSubscriber<T> {
        @Override
        protected void hookOnError(Throwable throwable) {
            // expected: the error is one of the racing outcomes
        }
    }
}
