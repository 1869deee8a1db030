package dev.recloser.core;

import dev.recloser.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metrics-only (shadow) mode: the state machine runs as in enforcing mode, nothing is rejected. */
class MetricsOnlyModeTest {

    private final ManualClock clock = new ManualClock();
    private final CircuitBreaker breaker = CircuitBreaker.of("shadow", CircuitBreakerConfig.builder()
            .clock(clock).metricsOnly(true)
            .slidingWindow(SlidingWindow.countBased(4)).minimumNumberOfCalls(2)
            .waitDurationInOpenState(Duration.ofSeconds(10)).openStateJitter(0)
            .build());
    private final List<String> events = new ArrayList<>();

    {
        breaker.addListener(new CircuitBreakerListener() {
            @Override
            public void onStateTransition(StateTransition t) {
                events.add(t.from() + "->" + t.to());
            }

            @Override
            public void onCallNotPermitted(CircuitBreaker b, State state) {
                events.add("rejected");
            }

            @Override
            public void onShadowRejection(CircuitBreaker b, State state) {
                events.add("shadow " + state);
            }
        });
    }

    @Test
    void tripsAndReportsButAdmitsEveryCall() {
        breaker.onError(breaker.tryAcquirePermit(), 0, new RuntimeException());
        breaker.onError(breaker.tryAcquirePermit(), 0, new RuntimeException());
        assertThat(breaker.state()).isEqualTo(State.OPEN);

        long shadow = breaker.tryAcquirePermit();
        assertThat(shadow).isNotEqualTo(CircuitBreaker.NO_PERMIT);
        // The call ran, but its outcome would not have existed in enforcing mode: it decides nothing.
        breaker.onSuccess(shadow, 0);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.metrics().notPermittedCalls()).isEqualTo(1);
        assertThat(events).containsExactly("CLOSED->OPEN", "shadow OPEN");
    }

    @Test
    void halfOpenTrialsStillDecideAndExtraCallsAreShadowRejections() {
        breaker.transitionToOpenFor(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        long trial = breaker.tryAcquirePermit();
        long extra = breaker.tryAcquirePermit(); // one trial permitted: the second would be rejected
        assertThat(extra).isNotEqualTo(CircuitBreaker.NO_PERMIT);
        breaker.onError(extra, 0, new RuntimeException()); // not a trial: does not re-open
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);

        breaker.onSuccess(trial, 0);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(events).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "shadow HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    @Test
    void forcedOpenDoesNotRejectEither() {
        breaker.transitionToForcedOpen();
        assertThat(breaker.tryAcquirePermit()).isNotEqualTo(CircuitBreaker.NO_PERMIT);
        assertThat(events).containsExactly("CLOSED->FORCED_OPEN", "shadow FORCED_OPEN");
    }
}
