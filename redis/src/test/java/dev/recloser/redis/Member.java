package dev.recloser.redis;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerListener;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.SlidingWindow;
import dev.recloser.core.StateTransition;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** One fleet member in the test JVM: its own registry, its own Lettuce client, one breaker. */
final class Member implements AutoCloseable {

    static final Duration OPEN_WAIT = Duration.ofMillis(700);

    final String id;
    final CircuitBreakerRegistry registry;
    final RedisFleet fleet;
    final CircuitBreaker breaker;
    final List<StateTransition> transitions = new CopyOnWriteArrayList<>();

    Member(RedisURI uri, String namespace, String id, UnaryOperator<RedisFleet.Builder> tweak) {
        this(RedisFleet.builder(uri), namespace, id, tweak);
    }

    Member(RedisFleet.Builder base, String namespace, String id, UnaryOperator<RedisFleet.Builder> tweak) {
        this.id = id;
        this.registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.builder()
                .slidingWindow(SlidingWindow.countBased(4)).minimumNumberOfCalls(2)
                .waitDurationInOpenState(OPEN_WAIT).openStateJitter(0)
                .logTransitions(false) // calls run on non-blocking threads in some tests
                .build());
        this.fleet = tweak.apply(base.namespace(namespace).instanceId(id)
                .heartbeat(Duration.ofMillis(100)).leaseDuration(Duration.ofMillis(400))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))).build();
        fleet.join(registry);
        this.breaker = registry.breaker("inventory");
        breaker.addListener(new CircuitBreakerListener() {
            @Override
            public void onStateTransition(StateTransition t) {
                transitions.add(t);
            }
        });
    }

    Member(RedisURI uri, String namespace, String id) {
        this(uri, namespace, id, b -> b);
    }

    /** Two failed calls: the breaker trips here (window 4, minimum 2, 50 %). */
    void trip() {
        for (int i = 0; i < 2; i++) {
            long p = breaker.tryAcquirePermit();
            if (p != CircuitBreaker.NO_PERMIT) {
                breaker.onError(p, 0, new RuntimeException("dependency down"));
            }
        }
    }

    CircuitBreaker.State state() {
        return breaker.state();
    }

    @Override
    public void close() {
        fleet.close();
    }
}
