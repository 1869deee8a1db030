package dev.recloser.spring;

import dev.recloser.core.Bulkhead;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.retry.RetryPolicy;
import dev.recloser.reactor.BulkheadOperator;
import dev.recloser.reactor.CircuitBreakerOperator;
import dev.recloser.reactor.Resilience;
import dev.recloser.reactor.RetryOperator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;

/**
 * Reactor operators built from the {@code recloser.*} properties, by name, for
 * {@code mono.transform(...)} and {@code flux.transform(...)}:
 * <pre>{@code
 * inventory.get(id).transform(recloser.circuitBreaker("inventory"))
 * inventory.get(id).transform(recloser.standard("inventory"))   // retry + breaker (+ bulkhead) of that name
 * }</pre>
 *
 * <p>Breakers come from the application's {@link CircuitBreakerRegistry}: a name configured under
 * {@code recloser.circuitbreaker.instances} has its config, any other name gets the default config
 * (created on first use). Retry policies and bulkheads must be configured
 * ({@code recloser.retry.instances}, {@code recloser.bulkhead.instances}); an unknown name throws
 * {@link IllegalArgumentException} naming it. Retry operators report to a
 * {@code recloser.retry.*} meter tagged with the policy's name when Micrometer is present.
 *
 * <p>Thread-safe; operators may be kept in fields and shared.
 */
public final class Recloser {

    private final CircuitBreakerRegistry registry;
    private final Map<String, CircuitBreakerConfig> instances;
    private final Map<String, RetryPolicy> retries;
    private final Map<String, Bulkhead> bulkheads;
    private final RetryListeners listeners;

    Recloser(CircuitBreakerRegistry registry, RecloserConfigurations configurations, RetryListeners listeners) {
        this.registry = registry;
        this.instances = Map.copyOf(configurations.instances());
        this.retries = Map.copyOf(configurations.retries());
        this.bulkheads = Map.copyOf(configurations.bulkheads());
        this.listeners = listeners;
    }

    /** The application's breaker registry. */
    public CircuitBreakerRegistry registry() {
        return registry;
    }

    /** The breaker of that name: the configured instance, or one with the default config. */
    public CircuitBreaker breaker(String name) {
        Objects.requireNonNull(name, "name");
        CircuitBreakerConfig config = instances.get(name);
        return config == null ? registry.breaker(name) : registry.breaker(name, config);
    }

    /** A breaker operator on {@link #breaker(String)}. */
    public <T> CircuitBreakerOperator<T> circuitBreaker(String name) {
        return CircuitBreakerOperator.of(breaker(name));
    }

    /** The retry policy {@code recloser.retry.instances.<name>}, if configured. */
    public Optional<RetryPolicy> retryPolicy(String name) {
        return Optional.ofNullable(retries.get(Objects.requireNonNull(name, "name")));
    }

    /**
     * A retry operator on the configured policy of that name, reporting to its meters.
     *
     * @throws IllegalArgumentException if no policy of that name is configured
     */
    public <T> RetryOperator<T> retry(String name) {
        RetryPolicy policy = retryPolicy(name).orElseThrow(() -> new IllegalArgumentException(
                "no retry policy '" + name + "' under recloser.retry.instances (known: " + retries.keySet() + ")"));
        return RetryOperator.<T>of(policy).listener(listeners.forName(name));
    }

    /** The bulkhead {@code recloser.bulkhead.instances.<name>}, if configured. */
    public Optional<Bulkhead> bulkhead(String name) {
        return Optional.ofNullable(bulkheads.get(Objects.requireNonNull(name, "name")));
    }

    /**
     * A bulkhead operator on the configured bulkhead of that name.
     *
     * @throws IllegalArgumentException if no bulkhead of that name is configured
     */
    public <T> BulkheadOperator<T> bulkheadOperator(String name) {
        Bulkhead b = bulkhead(name).orElseThrow(() -> new IllegalArgumentException(
                "no bulkhead '" + name + "' under recloser.bulkhead.instances (known: " + bulkheads.keySet() + ")"));
        return BulkheadOperator.of(b);
    }

    /**
     * The standard pipeline of that name ({@code Resilience.standard()}, outermost first: bulkhead,
     * retry, breaker): the breaker {@link #breaker(String)}, plus the retry policy and the bulkhead of
     * the same name when they are configured.
     */
    public <T> UnaryOperator<Publisher<T>> standard(String name) {
        Resilience.Pipeline p = Resilience.pipeline();
        Bulkhead b = bulkheads.get(name);
        if (b != null) {
            p = p.bulkhead(b);
        }
        RetryPolicy policy = retries.get(name);
        if (policy != null) {
            p = p.retry(RetryOperator.of(policy).listener(listeners.forName(name)));
        }
        return p.circuitBreaker(breaker(name)).build();
    }
}
