package dev.recloser.webclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreaker.State;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bounded table of per-key breakers, on a manual clock. */
class BreakerTableTest {

    private final ManualClock clock = new ManualClock();
    private final CircuitBreakerConfig tripsOnFirstFailure = CircuitBreakerConfig.builder()
            .consecutiveFailureThreshold(1)
            .waitDurationInOpenState(Duration.ofSeconds(10))
            .openStateBackoff(1.0, Duration.ofSeconds(10))
            .openStateJitter(0)
            .clock(clock)
            .build();
    private CircuitBreakerRegistry registry;

    @BeforeEach
    void setUp() {
        registry = CircuitBreakerRegistry.ofDefaults();
    }

    private BreakerTable table(int max) {
        return new BreakerTable(registry, tripsOnFirstFailure, max);
    }

    private static void trip(CircuitBreaker b) {
        long permit = b.tryAcquirePermit();
        b.onError(permit, 0L, new IOException("down"));
        assertThat(b.state()).isEqualTo(State.OPEN);
    }

    private List<String> registeredNames() {
        List<String> names = new ArrayList<>();
        registry.all().forEach(b -> names.add(b.name()));
        return names;
    }

    @Test
    void aKeyGetsOneBreakerNamedAfterItInTheRegistry() {
        BreakerTable t = table(10);
        BreakerTable.Entry e = t.acquire("a:80");
        assertThat(e.breaker.name()).isEqualTo("http:a:80");
        assertThat(t.acquire("a:80")).isSameAs(e);
        assertThat(registry.find("http:a:80")).containsSame(e.breaker);
        assertThat(e.breaker.config().clock()).isSameAs(clock);
    }

    @Test
    void theLeastRecentlyUsedClosedBreakerIsEvictedAndRemovedFromTheRegistry() {
        BreakerTable t = table(3);
        t.acquire("a");
        t.acquire("b");
        t.acquire("c");
        t.acquire("a"); // a is now more recent than b
        t.acquire("d");
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.find("b")).as("b was the least recently used").isNull();
        assertThat(registeredNames()).containsExactlyInAnyOrder("http:a", "http:c", "http:d");
    }

    @Test
    void openAndHalfOpenBreakersAreKeptWhileClosedOnesRotate() {
        BreakerTable t = table(3);
        CircuitBreaker down1 = t.acquire("down1").breaker;
        CircuitBreaker down2 = t.acquire("down2").breaker;
        trip(down1);
        trip(down2);
        for (int i = 0; i < 20; i++) {
            assertThat(t.acquire("up" + i)).isNotNull();
            assertThat(t.size()).isLessThanOrEqualTo(3);
        }
        assertThat(t.find("down1")).isSameAs(down1);
        assertThat(t.find("down2")).isSameAs(down2);
        assertThat(t.find("up19")).isNotNull();
        assertThat(registeredNames()).containsExactlyInAnyOrder("http:down1", "http:down2", "http:up19");

        clock.advance(Duration.ofSeconds(10));
        assertThat(down1.tryAcquirePermit()).isNotEqualTo(CircuitBreaker.NO_PERMIT); // HALF_OPEN, trial out
        assertThat(down1.state()).isEqualTo(State.HALF_OPEN);
        t.acquire("up20");
        assertThat(t.find("down1")).as("a half-open breaker is kept").isSameAs(down1);
    }

    @Test
    void whenEveryBreakerMustBeKeptANewKeyRunsWithoutOneAndTheBoundHolds() {
        BreakerTable t = table(2);
        trip(t.acquire("down1").breaker);
        trip(t.acquire("down2").breaker);
        assertThat(t.acquire("new")).isNull();
        assertThat(t.size()).isEqualTo(2);
        assertThat(registry.find("http:new")).isEmpty();
    }

    @Test
    void anOpenBreakerWhoseWaitElapsedIsEvictedWhenNoClosedOneIsLeft() {
        BreakerTable t = table(2);
        CircuitBreaker old = t.acquire("old").breaker;
        trip(old);
        clock.advance(Duration.ofSeconds(5));
        CircuitBreaker recent = t.acquire("recent").breaker;
        trip(recent);
        assertThat(t.acquire("new")).as("both still waiting").isNull();

        clock.advance(Duration.ofSeconds(5)); // old's wait is over, recent's is not
        assertThat(t.acquire("new")).isNotNull();
        assertThat(t.find("old")).isNull();
        assertThat(t.find("recent")).isSameAs(recent);
        assertThat(registeredNames()).containsExactlyInAnyOrder("http:recent", "http:new");
    }

    @Test
    void forcedOpenAndDisabledBreakersAreKept() {
        BreakerTable t = table(2);
        t.acquire("forced").breaker.transitionToForcedOpen();
        t.acquire("disabled").breaker.transitionToDisabled();
        assertThat(t.acquire("new")).isNull();
        assertThat(t.find("forced")).isNotNull();
        assertThat(t.find("disabled")).isNotNull();
    }

    @Test
    void concurrentCreationsNeverExceedTheBoundAndAgreeOnEachKeysBreaker() throws Exception {
        int threads = 4;
        int max = 16;
        BreakerTable t = table(max);
        ConcurrentHashMap<String, CircuitBreaker> seen = new ConcurrentHashMap<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 2_000; i++) {
                        String key = "k" + (i % 40);
                        BreakerTable.Entry e = t.acquire(key);
                        if (t.size() > max) {
                            throw new AssertionError("size " + t.size() + " > " + max);
                        }
                        // Within a short window the same key's entry is shared (evictions may replace it later).
                        seen.putIfAbsent(key, e.breaker);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            workers.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : workers) {
            th.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(errors).isEmpty();
        assertThat(t.size()).isLessThanOrEqualTo(max);
        assertThat(registry.all()).hasSizeLessThanOrEqualTo(max);
        for (CircuitBreaker b : registry.all()) {
            String key = b.name().substring(BreakerTable.NAME_PREFIX.length());
            assertThat(t.find(key)).as("every registered breaker is the table's").isSameAs(b);
        }
        for (int i = 0; i < 40; i++) {
            CircuitBreaker b = t.find("k" + i);
            if (b != null) {
                assertThat(registry.find(b.name())).as("every breaker of the table is registered").containsSame(b);
            }
        }
    }
}
