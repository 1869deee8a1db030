package dev.recloser.core;

import dev.recloser.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker.State;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The breaker's semantics on a manual clock; each test is one rule of docs/semantics.md. */
class CircuitBreakerTest {

    private final ManualClock clock = new ManualClock();
    private static final IOException BOOM = new IOException("boom");

    private CircuitBreakerConfig.Builder base() {
        return CircuitBreakerConfig.builder()
                .clock(clock)
                .openStateJitter(0)
                .openStateBackoff(1.0, Duration.ofSeconds(10))
                .waitDurationInOpenState(Duration.ofSeconds(10));
    }

    private static void succeed(CircuitBreaker b) {
        long p = b.tryAcquirePermit();
        assertThat(p).isNotEqualTo(CircuitBreaker.NO_PERMIT);
        b.onSuccess(p, 1_000);
    }

    private static void fail(CircuitBreaker b) {
        long p = b.tryAcquirePermit();
        assertThat(p).isNotEqualTo(CircuitBreaker.NO_PERMIT);
        b.onError(p, 1_000, BOOM);
    }

    private static List<StateTransition> record(CircuitBreaker b) {
        List<StateTransition> events = new ArrayList<>();
        b.addListener(new CircuitBreakerListener() {
            @Override
            public void onStateTransition(StateTransition t) {
                events.add(t);
            }
        });
        return events;
    }

    @Test
    void countWindowOfTenOpensAtFiveFailuresNotFour() {
        CircuitBreakerConfig config = base().slidingWindow(SlidingWindow.countBased(10))
                .minimumNumberOfCalls(10).failureRateThreshold(50).build();

        CircuitBreaker four = CircuitBreaker.of("four", config);
        for (int i = 0; i < 4; i++) {
            fail(four);
        }
        for (int i = 0; i < 6; i++) {
            succeed(four);
        }
        assertThat(four.state()).isEqualTo(State.CLOSED);
        assertThat(four.metrics().failureRate()).hasValue(40.0);

        CircuitBreaker five = CircuitBreaker.of("five", config);
        for (int i = 0; i < 5; i++) {
            succeed(five);
        }
        for (int i = 0; i < 4; i++) {
            fail(five);
        }
        assertThat(five.state()).isEqualTo(State.CLOSED); // 9 calls: below the minimum
        assertThat(five.metrics().failureRate()).isEmpty();
        fail(five);
        assertThat(five.state()).isEqualTo(State.OPEN);
        assertThat(five.metrics().failureRate()).hasValue(50.0);
    }

    @Test
    void healthyDependencyAtNinetyNinePercentNeverTripsAFivePercentThreshold() {
        CircuitBreaker b = CircuitBreaker.of("healthy", base().failureRateThreshold(5).minimumNumberOfCalls(20).build());
        List<StateTransition> events = record(b);
        SplittableRandom random = new SplittableRandom(42);
        int failures = 0;
        int failAt = -1;
        for (int i = 0; i < 10_000; i++) {
            if (i % 100 == 0) {
                failAt = i + random.nextInt(100); // exactly one failure per 100 calls, at a random place
            }
            if (i == failAt) {
                failures++;
                fail(b);
            } else {
                succeed(b);
            }
            assertThat(b.state()).isEqualTo(State.CLOSED);
        }
        assertThat(failures).isEqualTo(100);
        assertThat(events).isEmpty();
    }

    @Test
    void consecutiveFailuresOpenAndASuccessResetsTheRun() {
        CircuitBreaker b = CircuitBreaker.of("consecutive", base().consecutiveFailureThreshold(3)
                .minimumNumberOfCalls(100).slidingWindow(SlidingWindow.countBased(100)).build());
        fail(b);
        fail(b);
        succeed(b);
        assertThat(b.metrics().consecutiveFailures()).isZero();
        fail(b);
        fail(b);
        assertThat(b.state()).isEqualTo(State.CLOSED);
        List<StateTransition> events = record(b);
        fail(b);
        assertThat(b.state()).isEqualTo(State.OPEN);
        assertThat(events).singleElement().extracting(StateTransition::reason)
                .isEqualTo(StateTransition.Reason.CONSECUTIVE_FAILURES);
    }

    @Test
    void timeWindowForgetsOldOutcomesAndSurvivesAnyIdleGap() {
        CircuitBreaker b = CircuitBreaker.of("time", base().slidingWindow(SlidingWindow.timeBased(Duration.ofSeconds(10), 10))
                .minimumNumberOfCalls(4).failureRateThreshold(50).build());
        fail(b);
        fail(b);
        fail(b);
        assertThat(b.metrics().failedCalls()).isEqualTo(3);
        clock.advance(Duration.ofSeconds(11));
        assertThat(b.metrics().bufferedCalls()).isZero();
        // The old failures no longer count: one more failure is 1 of 1, below the minimum.
        fail(b);
        assertThat(b.state()).isEqualTo(State.CLOSED);
        assertThat(b.metrics().bufferedCalls()).isEqualTo(1);

        // An idle gap of centuries: a per-bucket slide would never finish; the window just restarts.
        clock.advanceNanos(Long.MAX_VALUE / 4);
        succeed(b);
        assertThat(b.metrics().bufferedCalls()).isEqualTo(1);
        assertThat(b.metrics().failedCalls()).isZero();
    }

    @Test
    void slowCallsTripTheSlowRateAndSlowFailuresCountAsBoth() {
        CircuitBreaker b = CircuitBreaker.of("slow", base().slidingWindow(SlidingWindow.countBased(10))
                .minimumNumberOfCalls(4).failureRateThreshold(100).slowCallRateThreshold(50)
                .slowCallDurationThreshold(Duration.ofMillis(100)).build());
        long slow = Duration.ofMillis(101).toNanos();
        long p = b.tryAcquirePermit();
        b.onError(p, slow, BOOM);
        assertThat(b.metrics().failedCalls()).isEqualTo(1);
        assertThat(b.metrics().slowCalls()).isEqualTo(1);
        b.onSuccess(b.tryAcquirePermit(), Duration.ofMillis(100).toNanos()); // at the threshold: not slow
        b.onSuccess(b.tryAcquirePermit(), 1);
        assertThat(b.metrics().slowCalls()).isEqualTo(1);
        List<StateTransition> events = record(b);
        b.onSuccess(b.tryAcquirePermit(), slow);
        assertThat(b.state()).isEqualTo(State.OPEN);
        assertThat(events).singleElement().extracting(StateTransition::reason)
                .isEqualTo(StateTransition.Reason.SLOW_CALL_RATE);
        assertThat(events.get(0).metrics().slowCallRate()).hasValue(50.0);
        assertThat(events.get(0).metrics().failureRate()).hasValue(25.0);
    }

    @Test
    void openRejectsWithoutTouchingTheWindowThenMovesToHalfOpenAfterTheWait() {
        CircuitBreaker b = tripped(base());
        CircuitBreakerMetrics atTrip = b.metrics();
        assertThat(b.remainingOpenDuration()).isEqualTo(Duration.ofSeconds(10));
        for (int i = 0; i < 100; i++) {
            assertThat(b.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);
        }
        CircuitBreakerMetrics m = b.metrics();
        assertThat(m.bufferedCalls()).isEqualTo(atTrip.bufferedCalls());
        assertThat(m.failedCalls()).isEqualTo(atTrip.failedCalls());
        assertThat(m.notPermittedCalls()).isEqualTo(100);

        clock.advance(Duration.ofSeconds(4));
        assertThat(b.remainingOpenDuration()).isEqualTo(Duration.ofSeconds(6));
        clock.advance(Duration.ofSeconds(6));
        assertThat(b.remainingOpenDuration()).isZero();
        assertThat(b.state()).isEqualTo(State.OPEN); // lazily: nothing moves it without a call
        assertThat(b.tryAcquirePermit()).isNotEqualTo(CircuitBreaker.NO_PERMIT);
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void halfOpenGrantsExactlyNTrialsClosesOnNSuccessesReopensOnFailureOrStuckTrials() {
        CircuitBreakerConfig.Builder cfg = base().permittedCallsInHalfOpenState(3)
                .maxWaitInHalfOpenState(Duration.ofSeconds(5));

        // N permits, no more; N successes close it.
        CircuitBreaker b = tripped(cfg);
        clock.advance(Duration.ofSeconds(10));
        long[] permits = {b.tryAcquirePermit(), b.tryAcquirePermit(), b.tryAcquirePermit()};
        assertThat(permits).doesNotContain(CircuitBreaker.NO_PERMIT);
        assertThat(b.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);
        // A released permit can be taken again.
        b.releasePermit(permits[2]);
        permits[2] = b.tryAcquirePermit();
        assertThat(permits[2]).isNotEqualTo(CircuitBreaker.NO_PERMIT);
        b.onSuccess(permits[0], 1);
        b.onSuccess(permits[1], 1);
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
        b.onSuccess(permits[2], 1);
        assertThat(b.state()).isEqualTo(State.CLOSED);
        assertThat(b.metrics().bufferedCalls()).isZero(); // a fresh window

        // One failed trial re-opens.
        CircuitBreaker c = tripped(cfg);
        clock.advance(Duration.ofSeconds(10));
        long t1 = c.tryAcquirePermit();
        long t2 = c.tryAcquirePermit();
        c.onSuccess(t1, 1);
        c.onError(t2, 1, BOOM);
        assertThat(c.state()).isEqualTo(State.OPEN);

        // Trials that hang past maxWaitInHalfOpenState re-open it instead of sticking.
        CircuitBreaker d = tripped(cfg);
        clock.advance(Duration.ofSeconds(10));
        long h1 = d.tryAcquirePermit();
        d.tryAcquirePermit();
        d.tryAcquirePermit();
        clock.advance(Duration.ofMillis(4_999));
        assertThat(d.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);
        assertThat(d.state()).isEqualTo(State.HALF_OPEN);
        clock.advance(Duration.ofMillis(1));
        assertThat(d.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);
        assertThat(d.state()).isEqualTo(State.OPEN);
        d.onSuccess(h1, 1); // the stuck trial finally answers: dropped, it belongs to an older generation
        assertThat(d.state()).isEqualTo(State.OPEN);
    }

    @Test
    void permitFromAnOlderGenerationHasItsOutcomeDropped() {
        CircuitBreaker b = CircuitBreaker.of("gen", base().slidingWindow(SlidingWindow.countBased(4))
                .minimumNumberOfCalls(4).build());
        long stale = b.tryAcquirePermit(); // admitted while CLOSED, generation 0
        for (int i = 0; i < 4; i++) {
            fail(b);
        }
        assertThat(b.state()).isEqualTo(State.OPEN);
        clock.advance(Duration.ofSeconds(10));
        long trial = b.tryAcquirePermit();
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
        b.onError(stale, 1, BOOM); // must not decide the trial
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
        b.onSuccess(trial, 1);
        assertThat(b.state()).isEqualTo(State.CLOSED);
        b.onError(stale, 1, BOOM); // nor pollute the fresh window
        assertThat(b.metrics().bufferedCalls()).isZero();
    }

    @Test
    void ignoredErrorsReleaseThePermitAndCountAsNeither() {
        CircuitBreaker b = CircuitBreaker.of("ignored", base().permittedCallsInHalfOpenState(1)
                .slidingWindow(SlidingWindow.countBased(4)).minimumNumberOfCalls(4)
                .ignoreErrors(e -> e instanceof IllegalArgumentException).build());
        b.onError(b.tryAcquirePermit(), 1, new IllegalArgumentException("bad request"));
        CircuitBreakerMetrics m = b.metrics();
        assertThat(m.bufferedCalls()).isZero();
        assertThat(m.failedCalls()).isZero();

        for (int i = 0; i < 4; i++) {
            fail(b);
        }
        clock.advance(Duration.ofSeconds(10));
        long trial = b.tryAcquirePermit();
        assertThat(b.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);
        b.onError(trial, 1, new IllegalArgumentException("ignored"));
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
        assertThat(b.tryAcquirePermit()).isNotEqualTo(CircuitBreaker.NO_PERMIT); // the permit came back
    }

    @Test
    void forcedOpenRejectsDisabledAdmitsAndRecordsNothingResetClears() {
        CircuitBreaker b = CircuitBreaker.of("manual", base().slidingWindow(SlidingWindow.countBased(4))
                .minimumNumberOfCalls(4).build());
        fail(b);
        b.transitionToForcedOpen();
        assertThat(b.state()).isEqualTo(State.FORCED_OPEN);
        clock.advance(Duration.ofDays(1));
        assertThat(b.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);
        assertThat(b.state()).isEqualTo(State.FORCED_OPEN);
        assertThat(b.callNotPermitted().state()).isEqualTo(State.FORCED_OPEN);

        b.transitionToDisabled();
        for (int i = 0; i < 100; i++) {
            long p = b.tryAcquirePermit();
            assertThat(p).isNotEqualTo(CircuitBreaker.NO_PERMIT);
            b.onError(p, 1, BOOM);
        }
        assertThat(b.state()).isEqualTo(State.DISABLED);
        assertThat(b.metrics().bufferedCalls()).isEqualTo(1); // only the failure from before

        b.reset();
        CircuitBreakerMetrics m = b.metrics();
        assertThat(b.state()).isEqualTo(State.CLOSED);
        assertThat(m.bufferedCalls()).isZero();
        assertThat(m.notPermittedCalls()).isZero();
    }

    @Test
    void openStateBackoffGrowsPerTripStopsAtTheCapJitterStaysInBounds() {
        CircuitBreakerConfig.Builder cfg = base().waitDurationInOpenState(Duration.ofSeconds(1))
                .openStateBackoff(2.0, Duration.ofSeconds(10));
        CircuitBreaker b = tripped(cfg);
        List<Duration> waits = new ArrayList<>();
        for (int trip = 1; trip <= 6; trip++) {
            waits.add(b.remainingOpenDuration());
            clock.advance(b.remainingOpenDuration());
            b.onError(b.tryAcquirePermit(), 1, BOOM); // the trial fails: trip again
        }
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(10));

        // Closing resets the backoff.
        clock.advance(b.remainingOpenDuration());
        b.onSuccess(b.tryAcquirePermit(), 1);
        assertThat(b.state()).isEqualTo(State.CLOSED);
        for (int i = 0; i < 20; i++) {
            fail(b);
        }
        assertThat(b.remainingOpenDuration()).isEqualTo(Duration.ofSeconds(1));

        // Jitter: within [w(1-j), min(cap, w(1+j))] for every random draw, extremes included.
        SplittableRandom random = new SplittableRandom(7);
        double[] draws = new double[1_000];
        for (int i = 0; i < draws.length; i++) {
            draws[i] = i == 0 ? 0.0 : i == 1 ? Math.nextDown(1.0) : random.nextDouble();
        }
        int[] next = {0};
        CircuitBreakerConfig jittered = cfg.openStateJitter(0.25).randomSource(() -> draws[next[0]++ % draws.length])
                .build();
        for (int trips = 1; trips <= 6; trips++) {
            double w = Math.min(10e9, 1e9 * Math.pow(2, trips - 1));
            for (int i = 0; i < 300; i++) {
                long wait = OpenWait.nanos(jittered, trips);
                assertThat((double) wait).isBetween(Math.floor(w * 0.75), Math.min(10e9, w * 1.25));
            }
        }
    }

    @Test
    void callNotPermittedExceptionIsStacklessWithRetryAfter() {
        CircuitBreaker b = tripped(base());
        clock.advance(Duration.ofMillis(7_700));
        CallNotPermittedException e = b.callNotPermitted();
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getSuppressed()).isEmpty();
        e.addSuppressed(new RuntimeException()); // suppression disabled: dropped
        assertThat(e.getSuppressed()).isEmpty();
        assertThat(e.breakerName()).isEqualTo("tripped");
        assertThat(e.state()).isEqualTo(State.OPEN);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(2_300));
        assertThat(e.getMessage()).isEqualTo("CircuitBreaker 'tripped' is OPEN; retry after 2.3 s");
    }

    @Test
    void listenersSeeOutcomesRejectionsAndTransitionsAndCanBeRemoved() {
        CircuitBreaker b = CircuitBreaker.of("events", base().slidingWindow(SlidingWindow.countBased(2))
                .minimumNumberOfCalls(2).failureRateThreshold(100).recordResult(r -> "503".equals(r)).build());
        List<String> seen = new ArrayList<>();
        ListenerRegistration reg = b.addListener(new CircuitBreakerListener() {
            @Override
            public void onStateTransition(StateTransition t) {
                seen.add(t.from() + "->" + t.to());
            }

            @Override
            public void onCallNotPermitted(CircuitBreaker breaker, State state) {
                seen.add("rejected " + state);
            }

            @Override
            public void onSuccess(CircuitBreaker breaker, long durationNanos, boolean slow) {
                seen.add("success");
            }

            @Override
            public void onFailure(CircuitBreaker breaker, long d, boolean slow, Throwable error, Object result) {
                seen.add("failure " + (error != null ? error.getMessage() : result));
            }
        });
        b.addListener(new CircuitBreakerListener() {
            @Override
            public void onSuccess(CircuitBreaker breaker, long durationNanos, boolean slow) {
                throw new IllegalStateException("a broken listener must not break the call path");
            }
        });
        b.onResult(b.tryAcquirePermit(), 1, "200");
        b.onResult(b.tryAcquirePermit(), 1, "503");
        b.onError(b.tryAcquirePermit(), 1, BOOM);
        b.tryAcquirePermit();
        reg.remove();
        b.tryAcquirePermit();
        assertThat(seen).containsExactly("success", "failure 503", "failure boom", "CLOSED->OPEN", "rejected OPEN");
    }

    @Test
    void classificationPredicateThatThrowsReleasesThePermitAndPropagates() {
        CircuitBreaker b = tripped(base().permittedCallsInHalfOpenState(1).recordFailure(e -> {
            if (e instanceof IllegalStateException) {
                throw new UnsupportedOperationException("predicate bug");
            }
            return true;
        }));
        clock.advance(Duration.ofSeconds(10));
        long trial = b.tryAcquirePermit();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.onError(trial, 1, new IllegalStateException()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
        assertThat(b.tryAcquirePermit()).isNotEqualTo(CircuitBreaker.NO_PERMIT);
    }

    private CircuitBreaker tripped(CircuitBreakerConfig.Builder cfg) {
        CircuitBreaker b = CircuitBreaker.of("tripped", cfg.slidingWindow(SlidingWindow.countBased(20))
                .minimumNumberOfCalls(20).build());
        for (int i = 0; i < 20; i++) {
            fail(b);
        }
        assertThat(b.state()).isEqualTo(State.OPEN);
        return b;
    }
}
