package dev.recloser.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Named circuit breakers sharing a default config and a set of named configs.
 *
 * <p>Thread-safe. Looking up an existing breaker is a lock-free hash map read; creating one happens
 * once per name (a racing creation of the same name returns the same instance). Registry listeners
 * learn of every breaker added or removed, which is how a metrics binder follows breakers created
 * later.
 */
public final class CircuitBreakerRegistry {

    /** Learns of breakers added to and removed from a registry. */
    public interface RegistryListener {
        /** A breaker was created; called once per breaker, on the creating thread. */
        default void onAdded(CircuitBreaker breaker) {
        }

        /** A breaker was removed; it keeps working for callers that still hold it. */
        default void onRemoved(CircuitBreaker breaker) {
        }
    }

    private final CircuitBreakerConfig defaultConfig;
    private final Map<String, String> defaultTags;
    private final Map<String, CircuitBreakerConfig> configs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final List<RegistryListener> registryListeners = new CopyOnWriteArrayList<>();

    private CircuitBreakerRegistry(CircuitBreakerConfig defaultConfig, Map<String, String> defaultTags) {
        this.defaultConfig = Objects.requireNonNull(defaultConfig, "defaultConfig");
        this.defaultTags = DefaultCircuitBreaker.copyTags(defaultTags);
    }

    /** A registry whose breakers use {@code defaults} unless told otherwise. */
    public static CircuitBreakerRegistry of(CircuitBreakerConfig defaults) {
        return new CircuitBreakerRegistry(defaults, Map.of());
    }

    /**
     * A registry whose breakers use {@code defaults} unless told otherwise and carry
     * {@code defaultTags} (for example the application or the region), under any tags given per
     * breaker (a breaker's own tag wins over a default of the same key).
     */
    public static CircuitBreakerRegistry of(CircuitBreakerConfig defaults, Map<String, String> defaultTags) {
        return new CircuitBreakerRegistry(defaults, defaultTags);
    }

    /** A registry with the {@link CircuitBreakerConfig#balanced()} default. */
    public static CircuitBreakerRegistry ofDefaults() {
        return new CircuitBreakerRegistry(CircuitBreakerConfig.balanced(), Map.of());
    }

    /** The tags every breaker created here carries (immutable, possibly empty). */
    public Map<String, String> defaultTags() {
        return defaultTags;
    }

    /** The default config. */
    public CircuitBreakerConfig defaultConfig() {
        return defaultConfig;
    }

    /**
     * Registers a named config for {@link #breaker(String, String)}.
     *
     * @throws IllegalArgumentException if a config of that name exists already
     */
    public CircuitBreakerRegistry addConfig(String configName, CircuitBreakerConfig config) {
        Objects.requireNonNull(configName, "configName");
        Objects.requireNonNull(config, "config");
        if (configs.putIfAbsent(configName, config) != null) {
            throw new IllegalArgumentException("config '" + configName + "' is already registered");
        }
        return this;
    }

    /** The named config, if registered. */
    public Optional<CircuitBreakerConfig> config(String configName) {
        return Optional.ofNullable(configs.get(Objects.requireNonNull(configName, "configName")));
    }

    /** The breaker of that name, created with the default config if absent. */
    public CircuitBreaker breaker(String name) {
        return breaker(name, defaultConfig);
    }

    /**
     * The breaker of that name, created with {@code config} if absent. An existing breaker keeps
     * the config it was created with.
     */
    public CircuitBreaker breaker(String name, CircuitBreakerConfig config) {
        return breaker(name, config, Map.of());
    }

    /**
     * The breaker of that name, created with {@code config} and the registry's default tags plus
     * {@code tags} (which win on a shared key) if absent. An existing breaker keeps the config and
     * tags it was created with.
     */
    public CircuitBreaker breaker(String name, CircuitBreakerConfig config, Map<String, String> tags) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(tags, "tags");
        CircuitBreaker existing = breakers.get(name); // lock-free fast path for the common case
        if (existing != null) {
            return existing;
        }
        Map<String, String> merged = defaultTags;
        if (!tags.isEmpty()) {
            merged = new java.util.LinkedHashMap<>(defaultTags);
            merged.putAll(tags);
        }
        CircuitBreaker created = CircuitBreaker.of(name, config, merged);
        CircuitBreaker raced = breakers.putIfAbsent(name, created);
        if (raced != null) {
            return raced;
        }
        for (RegistryListener l : registryListeners) {
            l.onAdded(created);
        }
        return created;
    }

    /**
     * The breaker of that name, created with the named config if absent.
     *
     * @throws IllegalArgumentException if no config of that name is registered
     */
    public CircuitBreaker breaker(String name, String configName) {
        CircuitBreakerConfig config = configs.get(Objects.requireNonNull(configName, "configName"));
        if (config == null) {
            throw new IllegalArgumentException("configName '" + configName + "' is not registered");
        }
        return breaker(name, config);
    }

    /** The breaker of that name, if it exists. */
    public Optional<CircuitBreaker> find(String name) {
        return Optional.ofNullable(breakers.get(Objects.requireNonNull(name, "name")));
    }

    /** A snapshot of every breaker. */
    public Collection<CircuitBreaker> all() {
        return Collections.unmodifiableList(new ArrayList<>(breakers.values()));
    }

    /** Removes the breaker of that name; returns it if it existed. */
    public Optional<CircuitBreaker> remove(String name) {
        CircuitBreaker removed = breakers.remove(Objects.requireNonNull(name, "name"));
        if (removed != null) {
            for (RegistryListener l : registryListeners) {
                l.onRemoved(removed);
            }
        }
        return Optional.ofNullable(removed);
    }

    /**
     * Removes {@code breaker} only if it is still the one registered under its name (for eviction
     * of idle breakers without racing a re-creation).
     */
    public boolean remove(CircuitBreaker breaker) {
        boolean removed = breakers.remove(breaker.name(), breaker);
        if (removed) {
            for (RegistryListener l : registryListeners) {
                l.onRemoved(breaker);
            }
        }
        return removed;
    }

    /**
     * Resets the named breaker (see {@link CircuitBreaker#reset()}).
     *
     * @return whether such a breaker exists
     */
    public boolean reset(String name) {
        CircuitBreaker b = breakers.get(Objects.requireNonNull(name, "name"));
        if (b != null) {
            b.reset();
        }
        return b != null;
    }

    /**
     * Follows breakers added and removed from now on; {@code replayExisting} first reports every
     * breaker that exists already as added.
     */
    public ListenerRegistration addRegistryListener(RegistryListener listener, boolean replayExisting) {
        Objects.requireNonNull(listener, "listener");
        registryListeners.add(listener);
        if (replayExisting) {
            for (CircuitBreaker b : breakers.values()) {
                listener.onAdded(b);
            }
        }
        return () -> registryListeners.remove(listener);
    }

    /** The health of every breaker and an overall verdict; see {@link RegistryHealth}. */
    public RegistryHealth health() {
        List<RegistryHealth.BreakerHealth> list = new ArrayList<>();
        Map<CircuitBreaker.State, Integer> counts = new EnumMap<>(CircuitBreaker.State.class);
        for (CircuitBreaker.State s : CircuitBreaker.State.values()) {
            counts.put(s, 0);
        }
        for (CircuitBreaker b : breakers.values()) {
            RegistryHealth.BreakerHealth h = RegistryHealth.BreakerHealth.of(b);
            list.add(h);
            counts.merge(h.state(), 1, Integer::sum);
        }
        list.sort((a, b) -> a.name().compareTo(b.name()));
        return RegistryHealth.of(counts, list);
    }
}
