package dev.recloser.core;

import dev.recloser.testing.RaceSupport;
import dev.recloser.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recloser.core.CircuitBreaker.State;
import dev.recloser.core.RegistryHealth.Verdict;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class CircuitBreakerRegistryTest {

    private final ManualClock clock = new ManualClock();
    private final CircuitBreakerConfig config = CircuitBreakerConfig.builder().clock(clock)
            .slidingWindow(SlidingWindow.countBased(10)).minimumNumberOfCalls(10).build();

    @Test
    void breakersAreCreatedOnceAndKeepTheirConfig() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config)
                .addConfig("strict", config.toBuilder().failureRateThreshold(10).build());
        CircuitBreaker a = registry.breaker("a");
        assertThat(registry.breaker("a")).isSameAs(a);
        assertThat(registry.breaker("a", CircuitBreakerConfig.aggressive())).isSameAs(a);
        assertThat(registry.breaker("s", "strict").config().failureRateThreshold()).isEqualTo(10);
        assertThatThrownBy(() -> registry.breaker("x", "missing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> registry.addConfig("strict", config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strict");
        assertThat(registry.all()).extracting(CircuitBreaker::name).containsExactlyInAnyOrder("a", "s");
        assertThat(registry.find("nope")).isEmpty();
    }

    @Test
    void racingCreatorsGetOneInstanceAndListenersHearOfItOnce() {
        for (int round = 0; round < RaceSupport.iterations() / 10; round++) {
            CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
            ConcurrentLinkedQueue<CircuitBreaker> added = new ConcurrentLinkedQueue<>();
            registry.addRegistryListener(new CircuitBreakerRegistry.RegistryListener() {
                @Override
                public void onAdded(CircuitBreaker breaker) {
                    added.add(breaker);
                }
            }, false);
            ConcurrentLinkedQueue<CircuitBreaker> got = new ConcurrentLinkedQueue<>();
            Runnable create = () -> got.add(registry.breaker("shared"));
            Race.run(create, create, create, create);
            assertThat(got).hasSize(4).allMatch(b -> b == got.peek());
            assertThat(added).containsExactly(got.peek());
        }
    }

    @Test
    void removeAndResetAndReplayOfExistingBreakers() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
        CircuitBreaker a = registry.breaker("a");
        registry.breaker("b");
        List<String> events = new ArrayList<>();
        registry.addRegistryListener(new CircuitBreakerRegistry.RegistryListener() {
            @Override
            public void onAdded(CircuitBreaker breaker) {
                events.add("+" + breaker.name());
            }

            @Override
            public void onRemoved(CircuitBreaker breaker) {
                events.add("-" + breaker.name());
            }
        }, true);
        a.transitionToForcedOpen();
        assertThat(registry.reset("a")).isTrue();
        assertThat(a.state()).isEqualTo(State.CLOSED);
        assertThat(registry.reset("zzz")).isFalse();
        assertThat(registry.remove("a")).contains(a);
        CircuitBreaker newA = registry.breaker("a");
        assertThat(registry.remove(a)).isFalse(); // the old instance is no longer registered
        assertThat(registry.remove(newA)).isTrue();
        assertThat(events).containsExactlyInAnyOrder("+a", "+b", "-a", "+a", "-a");
    }

    @Test
    void healthCountsStatesAndGivesVerdicts() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
        assertThat(registry.health().status()).isEqualTo(Verdict.HEALTHY);

        CircuitBreaker ok = registry.breaker("ok");
        CircuitBreaker degraded = registry.breaker("degraded");
        CircuitBreaker open = registry.breaker("open");
        CircuitBreaker spare = registry.breaker("spare");
        for (int i = 0; i < 10; i++) {
            ok.onSuccess(ok.tryAcquirePermit(), 1);
            long p = degraded.tryAcquirePermit();
            if (i < 3) {
                degraded.onError(p, 1, new IOException()); // 30%: at least half the 50% threshold
            } else {
                degraded.onSuccess(p, 1);
            }
        }
        open.transitionToForcedOpen();
        spare.transitionToDisabled();

        RegistryHealth h = registry.health();
        assertThat(h.status()).isEqualTo(Verdict.DEGRADED); // 1 critical out of 4
        assertThat(h.states()).containsEntry(State.CLOSED, 2).containsEntry(State.FORCED_OPEN, 1)
                .containsEntry(State.DISABLED, 1).containsEntry(State.OPEN, 0).containsEntry(State.HALF_OPEN, 0);
        assertThat(h.breakers()).extracting(RegistryHealth.BreakerHealth::name)
                .containsExactly("degraded", "ok", "open", "spare");
        assertThat(h.breakers()).extracting(RegistryHealth.BreakerHealth::status)
                .containsExactly(Verdict.DEGRADED, Verdict.HEALTHY, Verdict.CRITICAL, Verdict.HEALTHY);
        assertThat(h.breakers().get(0).failureRate()).isEqualTo(30.0);
        assertThat(h.breakers().get(3).failureRate()).isNull(); // below the minimum: absent, not -1

        spare.transitionToForcedOpen();
        assertThat(registry.health().status()).isEqualTo(Verdict.CRITICAL); // half are critical
    }

    @Test
    void healthRendersAsStableJson() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config.toBuilder().openStateJitter(0).build());
        CircuitBreaker b = registry.breaker("quote\"d");
        for (int i = 0; i < 10; i++) {
            b.onError(b.tryAcquirePermit(), 1, new IOException());
        }
        clock.advanceNanos(1_000_000_000L);
        assertThat(registry.health().toJson()).isEqualTo("{\"status\":\"CRITICAL\",\"states\":{\"CLOSED\":0,\"OPEN\":1,"
                + "\"HALF_OPEN\":0,\"FORCED_OPEN\":0,\"DISABLED\":0},\"breakers\":[{\"name\":\"quote\\\"d\",\"state\":\"OPEN\","
                + "\"status\":\"CRITICAL\",\"failureRate\":100.0,\"slowCallRate\":0.0,\"bufferedCalls\":10,"
                + "\"notPermittedCalls\":0,\"retryAfterMillis\":29000}]}");
        registry.breaker("fresh");
        assertThat(registry.health().toJson()).contains("{\"name\":\"fresh\",\"state\":\"CLOSED\",\"status\":\"HEALTHY\","
                + "\"failureRate\":null,\"slowCallRate\":null,");
    }
}
