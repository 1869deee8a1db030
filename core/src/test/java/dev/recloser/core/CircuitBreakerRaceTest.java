package dev.recloser.core;

import dev.recloser.testing.RaceSupport;
import dev.recloser.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker.State;
import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Concurrency proofs on real breakers. Iterations scale with {@code -Drecloser.race.iterations}
 * (default 2000); run with 100x more to search harder.
 */
class CircuitBreakerRaceTest {

    private static final IOException BOOM = new IOException("boom");
    private final ManualClock clock = new ManualClock();

    @Test
    void fourThreadsRecordingRandomOutcomesLoseNone() {
        int perThread = RaceSupport.iterations() * 5;
        int threads = 4;
        CircuitBreaker b = CircuitBreaker.of("totals", CircuitBreakerConfig.builder().clock(clock)
                .slidingWindow(SlidingWindow.countBased(threads * perThread))
                .minimumNumberOfCalls(threads * perThread).failureRateThreshold(100).slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofNanos(100)).build());
        AtomicLong failures = new AtomicLong();
        AtomicLong slows = new AtomicLong();
        Runnable recorder = () -> {
            SplittableRandom r = new SplittableRandom(Thread.currentThread().getId());
            for (int i = 0; i < perThread; i++) {
                long p = b.tryAcquirePermit();
                boolean slow = r.nextInt(4) == 0;
                long duration = slow ? 101 : 1;
                if (slow) {
                    slows.incrementAndGet();
                }
                if (r.nextInt(3) == 0) {
                    failures.incrementAndGet();
                    b.onError(p, duration, BOOM);
                } else {
                    b.onSuccess(p, duration);
                }
            }
        };
        Race.run(recorder, recorder, recorder, recorder);
        CircuitBreakerMetrics m = b.metrics();
        assertThat(m.bufferedCalls()).isEqualTo((long) threads * perThread);
        assertThat(m.failedCalls()).isEqualTo(failures.get());
        assertThat(m.slowCalls()).isEqualTo(slows.get());
        // The thresholds are 100%: a random mix never reaches them, so nothing may have tripped.
        assertThat(b.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void racingAcquiresInHalfOpenNeverGrantMoreThanNPerGeneration() {
        int n = 3;
        for (int round = 0; round < RaceSupport.iterations() / 4; round++) {
            CircuitBreaker b = openBreaker(n);
            clock.advance(Duration.ofSeconds(10));
            AtomicInteger granted = new AtomicInteger();
            Runnable acquirer = () -> {
                for (int i = 0; i < 4; i++) {
                    if (b.tryAcquirePermit() != CircuitBreaker.NO_PERMIT) {
                        granted.incrementAndGet();
                    }
                }
            };
            Race.run(acquirer, acquirer, acquirer, acquirer);
            assertThat(granted.get()).isEqualTo(n);
            assertThat(b.state()).isEqualTo(State.HALF_OPEN);
        }
    }

    @Test
    void racingFailuresProduceExactlyOneOpenTransitionPerTrip() {
        for (int round = 0; round < RaceSupport.iterations() / 4; round++) {
            CircuitBreaker b = CircuitBreaker.of("trip", CircuitBreakerConfig.builder().clock(clock)
                    .slidingWindow(SlidingWindow.countBased(10)).minimumNumberOfCalls(10).build());
            AtomicInteger opens = new AtomicInteger();
            b.addListener(new CircuitBreakerListener() {
                @Override
                public void onStateTransition(StateTransition t) {
                    if (t.to() == State.OPEN) {
                        opens.incrementAndGet();
                    }
                }
            });
            // Take all permits first so that every thread reports while the breaker is CLOSED.
            long[] permits = new long[40];
            for (int i = 0; i < permits.length; i++) {
                permits[i] = b.tryAcquirePermit();
            }
            Runnable[] reporters = new Runnable[4];
            for (int t = 0; t < 4; t++) {
                int from = t * 10;
                reporters[t] = () -> {
                    for (int i = from; i < from + 10; i++) {
                        b.onError(permits[i], 1, BOOM);
                    }
                };
            }
            Race.run(reporters);
            assertThat(b.state()).isEqualTo(State.OPEN);
            assertThat(opens.get()).isEqualTo(1);
        }
    }

    @Test
    void cancelStormsInHalfOpenNeverLeaveItStuck() {
        int n = 2;
        for (int round = 0; round < RaceSupport.iterations() / 4; round++) {
            CircuitBreaker b = openBreaker(n);
            clock.advance(Duration.ofSeconds(10));
            AtomicLongArray outcomes = new AtomicLongArray(3); // released, succeeded, failed
            Runnable stormer = () -> {
                SplittableRandom r = new SplittableRandom();
                for (int i = 0; i < 20; i++) {
                    long p = b.tryAcquirePermit();
                    if (p == CircuitBreaker.NO_PERMIT) {
                        continue;
                    }
                    int pick = r.nextInt(10);
                    if (pick < 8) {
                        b.releasePermit(p);
                        outcomes.incrementAndGet(0);
                    } else if (pick == 8) {
                        b.onSuccess(p, 1);
                        outcomes.incrementAndGet(1);
                    } else {
                        b.onError(p, 1, BOOM);
                        outcomes.incrementAndGet(2);
                    }
                }
            };
            Race.run(stormer, stormer, stormer, stormer);
            // Every permit was settled: whatever state it is in, it must be able to move on.
            switch (b.state()) {
                case HALF_OPEN -> {
                    long[] p = new long[n];
                    for (int i = 0; i < n; i++) {
                        p[i] = b.tryAcquirePermit();
                        assertThat(p[i]).as("trial permit %d after the storm", i).isNotEqualTo(CircuitBreaker.NO_PERMIT);
                    }
                    for (long permit : p) {
                        b.onSuccess(permit, 1);
                    }
                    assertThat(b.state()).isEqualTo(State.CLOSED);
                }
                case OPEN -> {
                    assertThat(outcomes.get(2)).isPositive();
                    clock.advance(Duration.ofMinutes(10));
                    assertThat(b.tryAcquirePermit()).isNotEqualTo(CircuitBreaker.NO_PERMIT);
                }
                case CLOSED -> assertThat(outcomes.get(1)).isPositive();
                default -> throw new AssertionError("unexpected state " + b.state());
            }
        }
    }

    @Test
    void completionRacingATransitionIsDroppedOrCountedNeverDoubled() {
        for (int round = 0; round < RaceSupport.iterations() / 4; round++) {
            CircuitBreaker b = openBreaker(1);
            clock.advance(Duration.ofSeconds(10));
            long trial = b.tryAcquirePermit();
            AtomicInteger closes = new AtomicInteger();
            b.addListener(new CircuitBreakerListener() {
                @Override
                public void onStateTransition(StateTransition t) {
                    if (t.to() == State.CLOSED) {
                        closes.incrementAndGet();
                    }
                }
            });
            // A trial reported twice (a caller bug) or a success racing a release: at most one close.
            Race.run(() -> b.onSuccess(trial, 1), () -> b.releasePermit(trial), () -> b.onSuccess(trial, 1));
            assertThat(closes.get()).isLessThanOrEqualTo(1);
            assertThat(b.state()).isIn(State.CLOSED, State.HALF_OPEN);
            if (b.state() == State.HALF_OPEN) {
                assertThat(b.tryAcquirePermit()).isNotEqualTo(CircuitBreaker.NO_PERMIT);
            }
        }
    }

    private CircuitBreaker openBreaker(int trials) {
        CircuitBreaker b = CircuitBreaker.of("half-open", CircuitBreakerConfig.builder().clock(clock)
                .openStateJitter(0).openStateBackoff(1, Duration.ofSeconds(10))
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .slidingWindow(SlidingWindow.countBased(4)).minimumNumberOfCalls(4)
                .permittedCallsInHalfOpenState(trials).maxWaitInHalfOpenState(Duration.ofHours(1)).build());
        for (int i = 0; i < 4; i++) {
            b.onError(b.tryAcquirePermit(), 1, BOOM);
        }
        assertThat(b.state()).isEqualTo(State.OPEN);
        return b;
    }
}
