package dev.recloser.spring;

import dev.recloser.core.Bulkhead;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.SlidingWindow;
import dev.recloser.core.retry.Backoff;
import dev.recloser.core.retry.Jitter;
import dev.recloser.core.retry.RetryPolicy;
import dev.recloser.spring.RecloserProperties.BreakerProperties;
import dev.recloser.spring.RecloserProperties.RetryProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Turns the {@code recloser.*} properties into core configs, once, at start-up: every value goes
 * through the library's own builders, and whatever they reject becomes a
 * {@link RecloserConfigurationException} naming the property. Immutable once built.
 */
final class RecloserConfigurations {

    static final String CB = "recloser.circuitbreaker.";
    static final String DEFAULT = "default";

    private final RecloserProperties properties;
    private final Map<String, CircuitBreakerConfig> configs = new LinkedHashMap<>();
    private final Map<String, CircuitBreakerConfig> instances = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> instanceTags = new LinkedHashMap<>();
    private final Map<String, RetryPolicy> retries = new LinkedHashMap<>();
    private final Map<String, Bulkhead> bulkheads = new LinkedHashMap<>();
    private final CircuitBreakerConfig defaultConfig;

    RecloserConfigurations(RecloserProperties properties) {
        this.properties = properties;
        Map<String, BreakerProperties> named = properties.getCircuitbreaker().getConfigs();
        BreakerProperties def = named.get(DEFAULT);
        this.defaultConfig = def == null ? CircuitBreakerConfig.balanced()
                : resolveConfig(DEFAULT, new LinkedHashSet<>());
        configs.put(DEFAULT, defaultConfig);
        for (String name : named.keySet()) {
            resolveConfig(name, new LinkedHashSet<>()); // registers it, and its bases first
        }
        properties.getCircuitbreaker().getInstances().forEach((name, p) -> {
            String prefix = CB + "instances." + name + ".";
            instances.put(name, build(prefix, base(prefix, p, new LinkedHashSet<>()), p));
            instanceTags.put(name, tags(p));
        });
        properties.getRetry().getInstances().forEach((name, p) ->
                retries.put(name, retryPolicy("recloser.retry.instances." + name + ".", p, RetryPolicy.defaults())));
        properties.getBulkhead().getInstances().forEach((name, p) -> {
            String prop = "recloser.bulkhead.instances." + name + ".max-concurrent-calls";
            bulkheads.put(name, check(prop, p.getMaxConcurrentCalls(), () -> Bulkhead.of(name, p.getMaxConcurrentCalls())));
        });
        WebClientSettings.validate(this);
        int capacity = properties.getEvents().getCapacity();
        if (capacity < 1 || capacity > 10_000) {
            throw new RecloserConfigurationException("recloser.events.capacity", capacity,
                    "must be in [1, 10000]", null);
        }
    }

    RecloserProperties properties() {
        return properties;
    }

    CircuitBreakerConfig defaultConfig() {
        return defaultConfig;
    }

    /** Every named config, {@code default} included. */
    Map<String, CircuitBreakerConfig> configs() {
        return configs;
    }

    /** The configs of the breakers to create at start-up. */
    Map<String, CircuitBreakerConfig> instances() {
        return instances;
    }

    /** The tags of an instance: its config chain's tags under its own. */
    Map<String, String> instanceTags(String name) {
        return instanceTags.getOrDefault(name, Map.of());
    }

    Map<String, RetryPolicy> retries() {
        return retries;
    }

    Map<String, Bulkhead> bulkheads() {
        return bulkheads;
    }

    /** The named config for a reference held by {@code property}. */
    CircuitBreakerConfig configNamed(String property, String name) {
        CircuitBreakerConfig c = configs.get(name);
        if (c == null) {
            throw new RecloserConfigurationException(property, name,
                    "no such config under " + CB + "configs (known: " + configs.keySet() + ")", null);
        }
        return c;
    }

    /**
     * A retry policy for the WebClient filter, by the name {@code property} holds: "idempotent" is
     * {@code ResilienceFilter.idempotentRetry()}, "none" null; a named policy is rebuilt on the
     * filter's base, so that without {@code retry-exceptions} it retries transient I/O errors only.
     */
    RetryPolicy webClientRetry(String property, String name, RetryPolicy idempotent) {
        if (name == null || name.equals("idempotent")) {
            return idempotent;
        }
        if (name.equals("none")) {
            return null;
        }
        RetryProperties p = properties.getRetry().getInstances().get(name);
        if (p == null) {
            throw new RecloserConfigurationException(property, name, "no such retry policy under "
                    + "recloser.retry.instances (known: " + retries.keySet() + "; or idempotent, none)", null);
        }
        return retryPolicy("recloser.retry.instances." + name + ".", p, idempotent);
    }

    private CircuitBreakerConfig resolveConfig(String name, Set<String> seen) {
        CircuitBreakerConfig done = configs.get(name);
        if (done != null) {
            return done;
        }
        String prefix = CB + "configs." + name + ".";
        if (!seen.add(name)) {
            throw new RecloserConfigurationException(prefix + "base-config", name,
                    "configs inherit in a cycle: " + String.join(" -> ", seen) + " -> " + name, null);
        }
        BreakerProperties p = properties.getCircuitbreaker().getConfigs().get(name);
        CircuitBreakerConfig c = build(prefix, base(prefix, p, seen), p);
        configs.put(name, c);
        return c;
    }

    private CircuitBreakerConfig base(String prefix, BreakerProperties p, Set<String> seen) {
        if (p.getBaseConfig() != null && p.getPreset() != null) {
            throw new RecloserConfigurationException(prefix + "preset", p.getPreset(),
                    "base-config and preset are exclusive; base-config is " + p.getBaseConfig(), null);
        }
        if (p.getBaseConfig() != null) {
            if (!properties.getCircuitbreaker().getConfigs().containsKey(p.getBaseConfig())) {
                throw new RecloserConfigurationException(prefix + "base-config", p.getBaseConfig(),
                        "no such config under " + CB + "configs (known: "
                                + properties.getCircuitbreaker().getConfigs().keySet() + ")", null);
            }
            return resolveConfig(p.getBaseConfig(), seen);
        }
        if (p.getPreset() != null) {
            return switch (p.getPreset()) {
                case AGGRESSIVE -> CircuitBreakerConfig.aggressive();
                case BALANCED -> CircuitBreakerConfig.balanced();
                case CONSERVATIVE -> CircuitBreakerConfig.conservative();
            };
        }
        // The default config starts from balanced; everything else from the default config.
        return seen.contains(DEFAULT) || defaultConfig == null ? CircuitBreakerConfig.balanced() : defaultConfig;
    }

    private static CircuitBreakerConfig build(String prefix, CircuitBreakerConfig base, BreakerProperties p) {
        CircuitBreakerConfig.Builder b = base.toBuilder();
        set(prefix + "failure-rate-threshold", p.getFailureRateThreshold(), b::failureRateThreshold);
        set(prefix + "slow-call-rate-threshold", p.getSlowCallRateThreshold(), b::slowCallRateThreshold);
        set(prefix + "slow-call-duration-threshold", p.getSlowCallDurationThreshold(), b::slowCallDurationThreshold);
        set(prefix + "consecutive-failure-threshold", p.getConsecutiveFailureThreshold(), b::consecutiveFailureThreshold);
        set(prefix + "minimum-number-of-calls", p.getMinimumNumberOfCalls(), b::minimumNumberOfCalls);
        window(prefix, base.slidingWindow(), p, b);
        set(prefix + "wait-duration-in-open-state", p.getWaitDurationInOpenState(), b::waitDurationInOpenState);
        if (p.getOpenStateBackoffMultiplier() != null || p.getMaxWaitDurationInOpenState() != null) {
            double multiplier = p.getOpenStateBackoffMultiplier() != null ? p.getOpenStateBackoffMultiplier()
                    : base.openStateBackoffMultiplier();
            Duration max = p.getMaxWaitDurationInOpenState() != null ? p.getMaxWaitDurationInOpenState()
                    : base.maxWaitDurationInOpenState();
            String prop = p.getOpenStateBackoffMultiplier() != null && !(multiplier >= 1 && multiplier <= 100)
                    ? prefix + "open-state-backoff-multiplier" : prefix + "max-wait-duration-in-open-state";
            Object value = prop.endsWith("multiplier") ? multiplier : max;
            check(prop, value, () -> b.openStateBackoff(multiplier, max));
        }
        set(prefix + "open-state-jitter", p.getOpenStateJitter(), b::openStateJitter);
        set(prefix + "permitted-calls-in-half-open-state", p.getPermittedCallsInHalfOpenState(), b::permittedCallsInHalfOpenState);
        set(prefix + "max-wait-in-half-open-state", p.getMaxWaitInHalfOpenState(), b::maxWaitInHalfOpenState);
        if (!p.getRecordExceptions().isEmpty()) {
            check(prefix + "record-exceptions", p.getRecordExceptions(),
                    () -> b.recordExceptions(p.getRecordExceptions().toArray(new Class<?>[0])));
        }
        if (!p.getIgnoreExceptions().isEmpty()) {
            check(prefix + "ignore-exceptions", p.getIgnoreExceptions(),
                    () -> b.ignoreExceptions(p.getIgnoreExceptions().toArray(new Class<?>[0])));
        }
        set(prefix + "metrics-only", p.getMetricsOnly(), b::metricsOnly);
        set(prefix + "log-transitions", p.getLogTransitions(), b::logTransitions);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            // The options that constrain each other: name the one the message starts with.
            String msg = String.valueOf(e.getMessage());
            String prop = msg.startsWith("minimumNumberOfCalls") ? prefix + "minimum-number-of-calls"
                    : msg.startsWith("openStateBackoff.maxWait") ? prefix + "max-wait-duration-in-open-state"
                    : prefix.substring(0, prefix.length() - 1);
            Object value = prop.endsWith("minimum-number-of-calls") ? p.getMinimumNumberOfCalls()
                    : prop.endsWith("max-wait-duration-in-open-state") ? p.getMaxWaitDurationInOpenState() : null;
            throw new RecloserConfigurationException(prop, value, msg, e);
        }
    }

    private static void window(String prefix, SlidingWindow base, BreakerProperties p, CircuitBreakerConfig.Builder b) {
        if (p.getSlidingWindowType() == null && p.getSlidingWindowSize() == null
                && p.getSlidingWindowLength() == null && p.getSlidingWindowBuckets() == null) {
            return;
        }
        RecloserProperties.WindowType type = p.getSlidingWindowType();
        if (type == null) {
            type = p.getSlidingWindowLength() != null || p.getSlidingWindowBuckets() != null
                    ? RecloserProperties.WindowType.TIME_BASED
                    : base.type() == SlidingWindow.Type.TIME_BASED && p.getSlidingWindowSize() == null
                    ? RecloserProperties.WindowType.TIME_BASED : RecloserProperties.WindowType.COUNT_BASED;
        }
        if (type == RecloserProperties.WindowType.COUNT_BASED) {
            if (p.getSlidingWindowLength() != null || p.getSlidingWindowBuckets() != null) {
                throw new RecloserConfigurationException(prefix + "sliding-window-type", "count-based",
                        "sliding-window-length and sliding-window-buckets apply to a time-based window only", null);
            }
            int size = p.getSlidingWindowSize() != null ? p.getSlidingWindowSize()
                    : base.type() == SlidingWindow.Type.COUNT_BASED ? base.size() : 100;
            b.slidingWindow(check(prefix + "sliding-window-size", size, () -> SlidingWindow.countBased(size)));
        } else {
            if (p.getSlidingWindowSize() != null) {
                throw new RecloserConfigurationException(prefix + "sliding-window-size", p.getSlidingWindowSize(),
                        "applies to a count-based window only; this one is time-based", null);
            }
            boolean baseTime = base.type() == SlidingWindow.Type.TIME_BASED;
            Duration length = p.getSlidingWindowLength() != null ? p.getSlidingWindowLength()
                    : baseTime ? base.length() : Duration.ofSeconds(60);
            int buckets = p.getSlidingWindowBuckets() != null ? p.getSlidingWindowBuckets()
                    : baseTime ? base.buckets() : 10;
            String prop = p.getSlidingWindowBuckets() != null && (buckets < 1 || buckets > SlidingWindow.MAX_BUCKETS)
                    ? prefix + "sliding-window-buckets" : prefix + "sliding-window-length";
            Object value = prop.endsWith("buckets") ? buckets : length;
            b.slidingWindow(check(prop, value, () -> SlidingWindow.timeBased(length, buckets)));
        }
    }

    private static RetryPolicy retryPolicy(String prefix, RetryProperties p, RetryPolicy base) {
        RetryPolicy.Builder b = base.toBuilder();
        set(prefix + "max-attempts", p.getMaxAttempts(), b::maxAttempts);
        set(prefix + "max-total-duration", p.getMaxTotalDuration(), b::maxTotalDuration);
        set(prefix + "max-delay-hint", p.getMaxDelayHint(), b::maxDelayHint);
        set(prefix + "wait-for-open-breaker", p.getWaitForOpenBreaker(), b::waitForOpenBreaker);
        if (!p.getRetryExceptions().isEmpty()) {
            List<Class<? extends Throwable>> types = List.copyOf(p.getRetryExceptions());
            b.retryOn(new Predicate<Throwable>() {
                @Override
                public boolean test(Throwable t) {
                    for (Class<? extends Throwable> type : types) {
                        if (type.isInstance(t)) {
                            return true;
                        }
                    }
                    return false;
                }

                @Override
                public String toString() {
                    return "instance of any of " + types;
                }
            });
        }
        Backoff backoff = switch (p.getBackoff()) {
            case NONE -> Backoff.none();
            case FIXED -> check(prefix + "initial-delay", p.getInitialDelay(), () -> Backoff.fixed(p.getInitialDelay()));
            case LINEAR -> check(backoffProperty(prefix, p), backoffValue(p),
                    () -> Backoff.linear(p.getInitialDelay(), p.getIncrement(), p.getMaxDelay()));
            case EXPONENTIAL -> check(backoffProperty(prefix, p), backoffValue(p),
                    () -> Backoff.exponential(p.getInitialDelay(), p.getMultiplier(), p.getMaxDelay()));
        };
        if (p.getBackoff() != RecloserProperties.BackoffType.NONE) {
            Jitter jitter = switch (p.getJitter()) {
                case NONE -> Jitter.none();
                case FULL -> Jitter.full();
                case EQUAL -> Jitter.equal();
                case DECORRELATED -> Jitter.decorrelated();
                case FACTOR -> check(prefix + "jitter-factor", p.getJitterFactor(), () -> Jitter.factor(p.getJitterFactor()));
            };
            Backoff unjittered = backoff;
            backoff = check(prefix + "jitter", p.getJitter(), () -> unjittered.withJitter(jitter));
        }
        b.backoff(backoff);
        return b.build();
    }

    /** Which backoff property a builder rejection is about: the first one out of range, else max-delay. */
    private static String backoffProperty(String prefix, RetryProperties p) {
        if (p.getInitialDelay() == null || p.getInitialDelay().isNegative() || p.getInitialDelay().isZero()) {
            return prefix + "initial-delay";
        }
        if (p.getBackoff() == RecloserProperties.BackoffType.EXPONENTIAL
                && !(p.getMultiplier() >= 1.0 && p.getMultiplier() < Double.POSITIVE_INFINITY)) {
            return prefix + "multiplier";
        }
        if (p.getBackoff() == RecloserProperties.BackoffType.LINEAR
                && (p.getIncrement() == null || p.getIncrement().isNegative() || p.getIncrement().isZero())) {
            return prefix + "increment";
        }
        return prefix + "max-delay";
    }

    private static Object backoffValue(RetryProperties p) {
        if (p.getInitialDelay() == null || p.getInitialDelay().isNegative() || p.getInitialDelay().isZero()) {
            return p.getInitialDelay();
        }
        if (p.getBackoff() == RecloserProperties.BackoffType.EXPONENTIAL
                && !(p.getMultiplier() >= 1.0 && p.getMultiplier() < Double.POSITIVE_INFINITY)) {
            return p.getMultiplier();
        }
        if (p.getBackoff() == RecloserProperties.BackoffType.LINEAR
                && (p.getIncrement() == null || p.getIncrement().isNegative() || p.getIncrement().isZero())) {
            return p.getIncrement();
        }
        return p.getMaxDelay();
    }

    private Map<String, String> tags(BreakerProperties p) {
        List<BreakerProperties> chain = new ArrayList<>();
        chain.add(p);
        BreakerProperties cur = p;
        for (int depth = 0; cur.getBaseConfig() != null && depth < 64; depth++) { // cycles were rejected above
            cur = properties.getCircuitbreaker().getConfigs().get(cur.getBaseConfig());
            chain.add(0, cur);
        }
        if (p.getBaseConfig() == null && p.getPreset() == null) {
            BreakerProperties def = properties.getCircuitbreaker().getConfigs().get(DEFAULT);
            if (def != null) {
                chain.add(0, def);
            }
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (BreakerProperties c : chain) {
            tags.putAll(c.getTags());
        }
        return tags;
    }

    static <T> void set(String property, T value, Consumer<T> setter) {
        if (value != null) {
            check(property, value, () -> {
                setter.accept(value);
                return null;
            });
        }
    }

    static <R> R check(String property, Object value, java.util.function.Supplier<R> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RecloserConfigurationException(property, value, String.valueOf(e.getMessage()), e);
        }
    }
}
