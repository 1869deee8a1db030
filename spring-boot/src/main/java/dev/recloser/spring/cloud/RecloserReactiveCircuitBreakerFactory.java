package dev.recloser.spring.cloud;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.reactor.CircuitBreakerOperator;
import dev.recloser.reactor.TimeoutOperator;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Spring Cloud CircuitBreaker on Recloser: {@code factory.create(id).run(mono, fallback)} runs the
 * call through the registry's breaker named {@code id} (created on first use; one configured under
 * {@code recloser.circuitbreaker.instances} keeps its config), with the id's timeout inside the
 * breaker, so a timeout is a failure it records. An open breaker fails fast with
 * {@code CallNotPermittedException}, which the fallback receives. Without a fallback the error
 * reaches the caller wrapped in Spring Cloud's {@code NoFallbackAvailableException}.
 *
 * <p>{@link #configure} and {@link #configureDefault} set what new breakers are created with;
 * {@link #addCircuitBreakerCustomizer} runs a customizer once on each breaker of the given ids when
 * it is first handed out (to add a listener, say). Thread-safe.
 */
public class RecloserReactiveCircuitBreakerFactory
        extends ReactiveCircuitBreakerFactory<RecloserCircuitBreakerSettings, RecloserCircuitBreakerSettings.Builder> {

    private final CircuitBreakerRegistry registry;
    private volatile Function<String, RecloserCircuitBreakerSettings> defaults;
    private final Map<String, Customizer<CircuitBreaker>> customizers = new ConcurrentHashMap<>();

    /**
     * @param registry the breakers
     * @param timeout  the default timeout of each run, or {@code null} for none
     */
    public RecloserReactiveCircuitBreakerFactory(CircuitBreakerRegistry registry, Duration timeout) {
        this.registry = Objects.requireNonNull(registry, "registry");
        RecloserCircuitBreakerSettings d = new RecloserCircuitBreakerSettings.Builder(registry.defaultConfig(), null)
                .build();
        if (timeout != null) {
            d = new RecloserCircuitBreakerSettings.Builder(registry.defaultConfig(), null).timeout(timeout).build();
        }
        RecloserCircuitBreakerSettings fallback = d;
        this.defaults = id -> fallback;
    }

    @Override
    public ReactiveCircuitBreaker create(String id) {
        Objects.requireNonNull(id, "id");
        RecloserCircuitBreakerSettings settings = getConfigurations().computeIfAbsent(id, defaults);
        boolean existed = registry.find(id).isPresent();
        CircuitBreaker breaker = registry.breaker(id, settings.breakerConfig());
        Customizer<CircuitBreaker> c = customizers.get(id);
        if (c != null && !existed) {
            c.customize(breaker);
        }
        return new RecloserReactiveCircuitBreaker(breaker, settings.timeout().orElse(null));
    }

    @Override
    protected RecloserCircuitBreakerSettings.Builder configBuilder(String id) {
        RecloserCircuitBreakerSettings d = defaults.apply(id);
        return new RecloserCircuitBreakerSettings.Builder(d.breakerConfig(), d.timeout().orElse(null));
    }

    @Override
    public void configureDefault(Function<String, RecloserCircuitBreakerSettings> defaultConfiguration) {
        this.defaults = Objects.requireNonNull(defaultConfiguration, "defaultConfiguration");
    }

    /**
     * Runs {@code customizer} once on the breaker of each of {@code ids}, when {@link #create} first
     * creates it.
     */
    public void addCircuitBreakerCustomizer(Customizer<CircuitBreaker> customizer, String... ids) {
        Objects.requireNonNull(customizer, "customizer");
        for (String id : ids) {
            customizers.put(id, Customizer.once(customizer, CircuitBreaker::name));
        }
    }

    /** The breaker of a run; a timeout inside it. */
    static final class RecloserReactiveCircuitBreaker implements ReactiveCircuitBreaker {
        private final CircuitBreaker breaker;
        private final Duration timeout;

        RecloserReactiveCircuitBreaker(CircuitBreaker breaker, Duration timeout) {
            this.breaker = breaker;
            this.timeout = timeout;
        }

        @Override
        public <T> Mono<T> run(Mono<T> toRun, Function<Throwable, Mono<T>> fallback) {
            Mono<T> guarded = timeout == null ? toRun : toRun.transform(TimeoutOperator.<T>of(timeout));
            Mono<T> result = guarded.transform(CircuitBreakerOperator.<T>of(breaker));
            return fallback == null ? result : result.onErrorResume(fallback);
        }

        @Override
        public <T> Flux<T> run(Flux<T> toRun, Function<Throwable, Flux<T>> fallback) {
            Flux<T> guarded = timeout == null ? toRun : toRun.transform(TimeoutOperator.<T>of(timeout));
            Flux<T> result = guarded.transform(CircuitBreakerOperator.<T>of(breaker));
            return fallback == null ? result : result.onErrorResume(fallback);
        }
    }
}
