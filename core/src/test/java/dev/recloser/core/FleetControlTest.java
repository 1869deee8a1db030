package dev.recloser.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.recloser.core.CircuitBreaker.State;
import dev.recloser.core.StateTransition.Reason;
import dev.recloser.core.fleet.FleetControl;
import dev.recloser.testing.ManualClock;
import dev.recloser.testing.RaceSupport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The fleet SPI on real breakers and a manual clock: remote open, close, hold-open, and their races. */
class FleetControlTest {

    private final ManualClock clock = new ManualClock();
    private final CircuitBreakerConfig config = CircuitBreakerConfig.builder()
            .clock(clock).logTransitions(false)
            .slidingWindow(SlidingWindow.countBased(4)).minimumNumberOfCalls(2)
            .waitDurationInOpenState(Duration.ofSeconds(10)).openStateJitter(0)
            .build();

    private static List<StateTransition> record(CircuitBreaker b) {
        List<StateTransition> list = new CopyOnWriteArrayList<>();
        b.addListener(new CircuitBreakerListener() {
            @Override
            public void onStateTransition(StateTransition t) {
                list.add(t);
            }
        });
        return list;
    }

    private static void fail(CircuitBreaker b) {
        long p = b.tryAcquirePermit();
        if (p != CircuitBreaker.NO_PERMIT) {
            b.onError(p, 0, new RuntimeException("down"));
        }
    }

    @Test
    void openByFleetOpensAClosedBreakerWithReasonFleetAndTheSharedDeadline() {
        CircuitBreaker b = CircuitBreaker.of("inventory", config);
        List<StateTransition> ts = record(b);

        assertThat(FleetControl.of(b).openByFleet(Duration.ofSeconds(3))).isTrue();

        assertThat(b.state()).isEqualTo(State.OPEN);
        assertThat(b.remainingOpenDuration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(ts).singleElement().satisfies(t -> {
            assertThat(t.reason()).isEqualTo(Reason.FLEET);
            assertThat(t.to()).isEqualTo(State.OPEN);
        });
        assertThat(b.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);
        clock.advance(Duration.ofSeconds(3));
        assertThat(b.tryAcquirePermit()).isNotEqualTo(CircuitBreaker.NO_PERMIT);
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void openByFleetOnAnOpenBreakerOnlyAlignsTheDeadline() {
        CircuitBreaker b = CircuitBreaker.of("inventory", config);
        fail(b);
        fail(b);
        List<StateTransition> ts = record(b);
        assertThat(b.remainingOpenDuration()).isEqualTo(Duration.ofSeconds(10));

        assertThat(FleetControl.of(b).openByFleet(Duration.ofSeconds(7))).isTrue();

        assertThat(ts).isEmpty();
        assertThat(b.remainingOpenDuration()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void manualStatesIgnoreFleetVerdicts() {
        CircuitBreaker b = CircuitBreaker.of("inventory", config);
        FleetControl f = FleetControl.of(b);
        b.transitionToForcedOpen();
        assertThat(f.openByFleet(Duration.ofSeconds(1))).isFalse();
        assertThat(f.closeByFleet()).isFalse();
        assertThat(b.state()).isEqualTo(State.FORCED_OPEN);
        b.transitionToDisabled();
        assertThat(f.openByFleet(Duration.ofSeconds(1))).isFalse();
        assertThat(f.holdOpen(Duration.ofSeconds(1))).isFalse();
        assertThat(b.state()).isEqualTo(State.DISABLED);
    }

    @Test
    void closeByFleetClosesOpenAndHalfOpenWithAFreshWindowButNotClosed() {
        CircuitBreaker b = CircuitBreaker.of("inventory", config);
        FleetControl f = FleetControl.of(b);
        assertThat(f.closeByFleet()).isFalse();
        fail(b);
        fail(b);
        List<StateTransition> ts = record(b);

        assertThat(f.closeByFleet()).isTrue();

        assertThat(b.state()).isEqualTo(State.CLOSED);
        assertThat(b.metrics().bufferedCalls()).isZero();
        assertThat(ts).singleElement().extracting(StateTransition::reason).isEqualTo(Reason.FLEET);

        fail(b);
        fail(b);
        clock.advance(Duration.ofSeconds(10));
        long trial = b.tryAcquirePermit();
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
        assertThat(f.closeByFleet()).isTrue();
        b.onError(trial, 0, new RuntimeException()); // the trial's generation is over: dropped
        assertThat(b.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void holdOpenOnlyGrowsTheDeadlineOfAnOpenBreaker() {
        CircuitBreaker b = CircuitBreaker.of("inventory", config);
        FleetControl f = FleetControl.of(b);
        assertThat(f.holdOpen(Duration.ofSeconds(1))).isFalse();
        fail(b);
        fail(b);
        List<StateTransition> ts = record(b);

        assertThat(f.holdOpen(Duration.ofSeconds(5))).isFalse();
        assertThat(f.holdOpen(Duration.ofSeconds(12))).isTrue();

        assertThat(b.remainingOpenDuration()).isEqualTo(Duration.ofSeconds(12));
        assertThat(ts).isEmpty();
        assertThat(b.callNotPermitted().retryAfter()).isEqualTo(Duration.ofSeconds(12));
        clock.advance(Duration.ofSeconds(12));
        b.tryAcquirePermit(); // HALF_OPEN now
        assertThat(f.holdOpen(Duration.ofSeconds(30))).isFalse();
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void aTransitionListenerHearsTransitionsOnlyAndLeavesCallTimingOff() {
        CircuitBreaker b = CircuitBreaker.of("inventory", config);
        List<Object> heard = new CopyOnWriteArrayList<>();
        var reg = FleetControl.of(b).addTransitionListener(new CircuitBreakerListener() {
            @Override
            public void onStateTransition(StateTransition t) {
                heard.add(t.to());
            }

            @Override
            public void onCallNotPermitted(CircuitBreaker breaker, State state) {
                heard.add("rejected");
            }

            @Override
            public void onFailure(CircuitBreaker breaker, long d, boolean slow, Throwable e, Object r) {
                heard.add("failure");
            }
        });
        assertThat(((dev.recloser.core.internal.BreakerProtocol) b).wantsCallDurations()).isFalse();

        fail(b);
        fail(b);
        b.tryAcquirePermit();

        assertThat(heard).containsExactly(State.OPEN);
        reg.remove();
        b.transitionToClosed();
        assertThat(heard).containsExactly(State.OPEN);
    }

    @Test
    void durationsAreValidatedNamingTheOptionAndValue() {
        FleetControl f = FleetControl.of(CircuitBreaker.of("x", config));
        assertThatIllegalArgumentException().isThrownBy(() -> f.openByFleet(Duration.ZERO))
                .withMessageContaining("openByFleet.remaining").withMessageContaining("PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> f.holdOpen(Duration.ofMillis(-1)))
                .withMessageContaining("holdOpen.remaining").withMessageContaining("PT-0.001S");
        assertThatIllegalArgumentException().isThrownBy(() -> f.openByFleet(Duration.ofDays(40_000)))
                .withMessageContaining("openByFleet.remaining");
    }

    @Test
    void aFleetOpenRacingALocalTripPublishesExactlyOneOpen() {
        for (int i = 0; i < RaceSupport.iterations(); i++) {
            CircuitBreaker b = CircuitBreaker.of("race", config);
            List<StateTransition> ts = record(b);
            fail(b);
            Race.run(() -> fail(b), () -> FleetControl.of(b).openByFleet(Duration.ofSeconds(3)));
            assertThat(b.state()).isEqualTo(State.OPEN);
            assertThat(ts).hasSize(1);
            assertThat(ts.get(0).to()).isEqualTo(State.OPEN);
        }
    }

    @Test
    void aFleetCloseRacingATrialOutcomeLeavesOneConsistentOutcome() {
        for (int i = 0; i < RaceSupport.iterations(); i++) {
            CircuitBreaker b = CircuitBreaker.of("race", config);
            fail(b);
            fail(b);
            clock.advance(Duration.ofSeconds(10));
            long trial = b.tryAcquirePermit();
            List<StateTransition> ts = record(b);
            Race.run(() -> b.onError(trial, 0, new RuntimeException()), () -> FleetControl.of(b).closeByFleet());
            // Either the close came first (the trial is stale: CLOSED) or the trial re-opened first and
            // the close then closed the OPEN breaker: CLOSED either way. Two transitions by two threads
            // may reach listeners out of order (documented); the generation orders them.
            assertThat(b.state()).isEqualTo(State.CLOSED);
            assertThat(ts).extracting(StateTransition::generation).doesNotHaveDuplicates();
            StateTransition last = ts.stream().max(java.util.Comparator.comparingLong(StateTransition::generation)).orElseThrow();
            assertThat(last.reason()).isEqualTo(Reason.FLEET);
            assertThat(last.to()).isEqualTo(State.CLOSED);
        }
    }

    @Test
    void holdOpenRacingTheLazyHalfOpenNeverCutsATrialShort() {
        for (int i = 0; i < RaceSupport.iterations(); i++) {
            CircuitBreaker b = CircuitBreaker.of("race", config);
            fail(b);
            fail(b);
            clock.advance(Duration.ofSeconds(10));
            long[] trial = new long[1];
            boolean[] held = new boolean[1];
            Race.run(() -> trial[0] = b.tryAcquirePermit(),
                    () -> held[0] = FleetControl.of(b).holdOpen(Duration.ofSeconds(5)));
            if (trial[0] != CircuitBreaker.NO_PERMIT) {
                assertThat(b.state()).isEqualTo(State.HALF_OPEN);
                assertThat(held[0]).isFalse();
            } else {
                assertThat(held[0]).isTrue();
                assertThat(b.state()).isEqualTo(State.OPEN);
                assertThat(b.remainingOpenDuration()).isEqualTo(Duration.ofSeconds(5));
            }
        }
    }
}
