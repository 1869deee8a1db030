package dev.recloser.core;

import dev.recloser.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.recloser.core.CircuitBreaker.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Manual transitions as a user drives them: same-state no-ops and manual OPEN with a deadline. */
class ManualTransitionTest {

    private final ManualClock clock = new ManualClock();
    private final Instant wallNow = Instant.parse("2026-12-02T10:00:00Z");
    private final CircuitBreakerConfig config = CircuitBreakerConfig.builder()
            .clock(clock).wallClock(Clock.fixed(wallNow, ZoneOffset.UTC))
            .slidingWindow(SlidingWindow.countBased(4)).minimumNumberOfCalls(2)
            .waitDurationInOpenState(Duration.ofSeconds(10)).openStateJitter(0)
            .build();
    private final CircuitBreaker breaker = CircuitBreaker.of("inventory", config);
    private final List<StateTransition> transitions = new ArrayList<>();

    {
        breaker.addListener(new CircuitBreakerListener() {
            @Override
            public void onStateTransition(StateTransition t) {
                transitions.add(t);
            }
        });
    }

    @Test
    void aSecondForcedOpenOrDisableIsANoOpThatKeepsPermitsValid() {
        breaker.transitionToDisabled();
        long permit = breaker.tryAcquirePermit();
        breaker.transitionToDisabled();
        breaker.transitionToForcedOpen();
        breaker.transitionToForcedOpen();

        assertThat(transitions).extracting(StateTransition::to).containsExactly(State.DISABLED, State.FORCED_OPEN);
        assertThat(transitions).allSatisfy(t -> assertThat(t.from()).isNotEqualTo(t.to()));
        assertThat(permit).isNotEqualTo(CircuitBreaker.NO_PERMIT);
    }

    @Test
    void transitionToClosedWhenClosedKeepsTheWindowButResetClearsIt() {
        breaker.onError(breaker.tryAcquirePermit(), 0, new RuntimeException());
        long closedPermit = breaker.tryAcquirePermit();

        breaker.transitionToClosed();

        assertThat(transitions).isEmpty();
        assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
        // The permit taken before is still of the current generation: its failure counts and trips.
        breaker.onError(closedPermit, 0, new RuntimeException());
        assertThat(breaker.state()).isEqualTo(State.OPEN);

        breaker.reset();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.metrics().bufferedCalls()).isZero();
        assertThat(transitions).extracting(StateTransition::reason)
                .containsExactly(StateTransition.Reason.FAILURE_RATE, StateTransition.Reason.RESET);
    }

    @Test
    void transitionToOpenUsesTheConfiguredWaitThenProbes() {
        breaker.transitionToOpen();

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.remainingOpenDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(breaker.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);
        assertThat(breaker.callNotPermitted().retryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.reason()).isEqualTo(StateTransition.Reason.MANUAL);
            assertThat(t.to()).isEqualTo(State.OPEN);
        });

        clock.advance(Duration.ofSeconds(10));
        long trial = breaker.tryAcquirePermit();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        breaker.onSuccess(trial, 0);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aManualOpenIsNotATripForTheBackoff() {
        CircuitBreaker b = CircuitBreaker.of("b", config.toBuilder().openStateBackoff(2, Duration.ofMinutes(5)).build());
        b.transitionToOpenFor(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        b.onError(b.tryAcquirePermit(), 0, new RuntimeException()); // the trial fails: first real trip
        assertThat(b.remainingOpenDuration()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void transitionToOpenForAMaintenanceWindowAndExtendingIt() {
        breaker.transitionToOpenFor(Duration.ofMinutes(30));
        assertThat(breaker.remainingOpenDuration()).isEqualTo(Duration.ofMinutes(30));

        clock.advance(Duration.ofMinutes(20));
        breaker.transitionToOpenFor(Duration.ofMinutes(30)); // already OPEN: the deadline moves, no event

        assertThat(breaker.remainingOpenDuration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(transitions).hasSize(1);
    }

    @Test
    void transitionToOpenUntilReadsTheWallClockOnce() {
        breaker.transitionToOpenUntil(wallNow.plus(Duration.ofHours(2)));

        assertThat(breaker.remainingOpenDuration()).isEqualTo(Duration.ofHours(2));
        clock.advance(Duration.ofHours(2));
        assertThat(breaker.remainingOpenDuration()).isZero();
    }

    @Test
    void badManualOpenArgumentsNameTheOptionAndTheValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> breaker.transitionToOpenFor(Duration.ZERO))
                .withMessageContaining("transitionToOpenFor.duration").withMessageContaining("PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> breaker.transitionToOpenFor(Duration.ofDays(100_000)))
                .withMessageContaining("transitionToOpenFor.duration").withMessageContaining("PT2400000H");
        assertThatIllegalArgumentException().isThrownBy(() -> breaker.transitionToOpenUntil(wallNow.minusSeconds(1)))
                .withMessageContaining("transitionToOpenUntil.until").withMessageContaining("2026-12-02T09:59:59Z");
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }
}
