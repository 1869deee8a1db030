package dev.recloser.spring;

import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.limit.AimdLimit;
import dev.recloser.core.limit.ConcurrencyLimitConfig;
import dev.recloser.core.limit.Gradient2Limit;
import dev.recloser.core.limit.LimitAlgorithm;
import dev.recloser.core.limit.VegasLimit;
import dev.recloser.core.retry.RetryListener;
import dev.recloser.core.retry.RetryPolicy;
import dev.recloser.webclient.KeyStrategy;
import dev.recloser.webclient.ResilienceFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/** Builds the WebClient filter from {@code recloser.webclient.*}. */
final class WebClientSettings {

    static final String PREFIX = "recloser.webclient.";

    private WebClientSettings() {
    }

    /** Checks the webclient properties at start-up, whether or not a WebClient is ever built. */
    static void validate(RecloserConfigurations c) {
        build(c, CircuitBreakerRegistry.of(c.defaultConfig()), RetryListener.NONE);
    }

    /** The filter: one per-host filter for the defaults, and one per override, all on {@code registry}. */
    static ExchangeFilterFunction build(RecloserConfigurations c, CircuitBreakerRegistry registry, RetryListener listener) {
        RecloserProperties.WebClient w = c.properties().getWebclient();
        ExchangeFilterFunction fallback = filter(c, registry, listener, w.getCircuitBreakerConfig(),
                PREFIX + "circuit-breaker-config", w.getRetry(), PREFIX + "retry");
        if (w.getOverrides().isEmpty()) {
            return fallback;
        }
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<String, RecloserProperties.Override> e : w.getOverrides().entrySet()) {
            String prefix = PREFIX + "overrides." + e.getKey() + ".";
            RecloserProperties.Override o = e.getValue();
            if (o.getHosts().isEmpty()) {
                throw new RecloserConfigurationException(prefix + "hosts", "[]",
                        "an override needs at least one host pattern", null);
            }
            List<String> patterns = new ArrayList<>();
            for (String h : o.getHosts()) {
                String pattern = h == null ? "" : h.trim().toLowerCase(Locale.ROOT);
                if (pattern.isEmpty() || pattern.indexOf('*', 1) >= 0 || pattern.contains("/")) {
                    throw new RecloserConfigurationException(prefix + "hosts", h,
                            "a host pattern is a host, host:port, or *.suffix (one leading wildcard)", null);
                }
                patterns.add(pattern);
            }
            String config = o.getCircuitBreakerConfig() != null ? o.getCircuitBreakerConfig() : w.getCircuitBreakerConfig();
            String retry = o.getRetry() != null ? o.getRetry() : w.getRetry();
            routes.add(new Route(patterns, filter(c, registry, listener, config, prefix + "circuit-breaker-config",
                    retry, prefix + "retry")));
        }
        return new RoutingFilter(List.copyOf(routes), fallback);
    }

    private static ExchangeFilterFunction filter(RecloserConfigurations c, CircuitBreakerRegistry registry,
                                                 RetryListener listener, String configName, String configProperty,
                                                 String retryName, String retryProperty) {
        RecloserProperties.WebClient w = c.properties().getWebclient();
        CircuitBreakerConfig config = configName == null ? registry.defaultConfig()
                : c.configNamed(configProperty, configName);
        ResilienceFilter.Builder b = ResilienceFilter.builder()
                .breakers(registry)
                .breakerConfig(config)
                .key(w.getKeyStrategy() == RecloserProperties.KeyStrategy.HOST_PORT_AND_METHOD
                        ? KeyStrategy.byHostPortAndMethod() : KeyStrategy.byHostAndPort())
                .fastFailResponse(w.isFastFailResponse())
                .retryListener(listener);
        RecloserConfigurations.check(PREFIX + "max-breakers", w.getMaxBreakers(), () -> b.maxBreakers(w.getMaxBreakers()));
        if (w.getAttemptTimeout() != null) {
            RecloserConfigurations.check(PREFIX + "attempt-timeout", w.getAttemptTimeout(),
                    () -> b.attemptTimeout(w.getAttemptTimeout()));
        }
        if (w.getTotalTimeout() != null) {
            RecloserConfigurations.check(PREFIX + "total-timeout", w.getTotalTimeout(),
                    () -> b.totalTimeout(w.getTotalTimeout()));
        }
        ConcurrencyLimitConfig limit = concurrencyLimit(w.getConcurrencyLimit());
        if (limit != null) {
            b.concurrencyLimit(limit);
        }
        RetryPolicy retry = c.webClientRetry(retryProperty, retryName, ResilienceFilter.idempotentRetry());
        if (retry != null) {
            b.retry(retry);
        }
        return b.build();
    }

    /** The limit config of {@code recloser.webclient.concurrency-limit.*}, or null when off. */
    static ConcurrencyLimitConfig concurrencyLimit(RecloserProperties.ConcurrencyLimit p) {
        if (!p.isEnabled()) {
            return null;
        }
        String prefix = PREFIX + "concurrency-limit.";
        LimitAlgorithm algorithm = switch (p.getAlgorithm()) {
            case AIMD -> {
                AimdLimit.Builder a = AimdLimit.builder();
                RecloserConfigurations.set(prefix + "initial-limit", p.getInitialLimit(), a::initialLimit);
                RecloserConfigurations.set(prefix + "min-limit", p.getMinLimit(), a::minLimit);
                RecloserConfigurations.set(prefix + "max-limit", p.getMaxLimit(), a::maxLimit);
                yield buildLimits(prefix, p, a::build);
            }
            case VEGAS -> {
                VegasLimit.Builder v = VegasLimit.builder();
                RecloserConfigurations.set(prefix + "initial-limit", p.getInitialLimit(), v::initialLimit);
                RecloserConfigurations.set(prefix + "min-limit", p.getMinLimit(), v::minLimit);
                RecloserConfigurations.set(prefix + "max-limit", p.getMaxLimit(), v::maxLimit);
                yield buildLimits(prefix, p, v::build);
            }
            case GRADIENT2 -> {
                Gradient2Limit.Builder g = Gradient2Limit.builder();
                RecloserConfigurations.set(prefix + "initial-limit", p.getInitialLimit(), g::initialLimit);
                RecloserConfigurations.set(prefix + "min-limit", p.getMinLimit(), g::minLimit);
                RecloserConfigurations.set(prefix + "max-limit", p.getMaxLimit(), g::maxLimit);
                yield buildLimits(prefix, p, g::build);
            }
        };
        ConcurrencyLimitConfig.Builder b = ConcurrencyLimitConfig.builder().algorithm(algorithm);
        RecloserConfigurations.set(prefix + "min-window", p.getMinWindow(), b::minWindow);
        RecloserConfigurations.set(prefix + "max-window", p.getMaxWindow(), b::maxWindow);
        RecloserConfigurations.set(prefix + "min-samples", p.getMinSamples(), b::minSamples);
        RecloserConfigurations.set(prefix + "min-rtt-threshold", p.getMinRttThreshold(), b::minRttThreshold);
        return RecloserConfigurations.check(prefix + "min-window", p.getMinWindow(), b::build);
    }

    /**
     * Builds an algorithm; a rejection of limits that constrain each other names the option the
     * message mentions that the application set (else the first one mentioned).
     */
    private static LimitAlgorithm buildLimits(String prefix, RecloserProperties.ConcurrencyLimit p,
                                              java.util.function.Supplier<? extends LimitAlgorithm> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            String msg = String.valueOf(e.getMessage());
            String[][] options = {{"initialLimit", "initial-limit"}, {"minLimit", "min-limit"}, {"maxLimit", "max-limit"}};
            Object[] values = {p.getInitialLimit(), p.getMinLimit(), p.getMaxLimit()};
            int chosen = -1;
            int firstMentioned = -1;
            for (int i = 0; i < options.length; i++) {
                if (msg.contains(options[i][0])) {
                    if (firstMentioned < 0 || msg.indexOf(options[i][0]) < msg.indexOf(options[firstMentioned][0])) {
                        firstMentioned = i;
                    }
                    if (values[i] != null && chosen < 0) {
                        chosen = i;
                    }
                }
            }
            int i = chosen >= 0 ? chosen : Math.max(firstMentioned, 0);
            throw new RecloserConfigurationException(prefix + options[i][1], values[i], msg, e);
        }
    }

    /** Requests whose host matches one of {@code patterns} go through {@code filter}. */
    record Route(List<String> patterns, ExchangeFilterFunction filter) {
        boolean matches(String host, String hostPort) {
            for (String p : patterns) {
                if (p.startsWith("*.") ? host.endsWith(p.substring(1)) : p.equals(host) || p.equals(hostPort)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Picks the filter of the first route whose patterns match the request's host (or host:port),
     * else the fallback. The filters share one registry, so every breaker shows in the endpoint.
     */
    static final class RoutingFilter implements ExchangeFilterFunction {
        private final List<Route> routes;
        private final ExchangeFilterFunction fallback;

        RoutingFilter(List<Route> routes, ExchangeFilterFunction fallback) {
            this.routes = routes;
            this.fallback = fallback;
        }

        @Override
        public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
            String host = request.url().getHost();
            if (host != null) {
                host = host.toLowerCase(Locale.ROOT);
                String hostPort = host + ":" + request.url().getPort();
                for (Route r : routes) {
                    if (r.matches(host, hostPort)) {
                        return r.filter().filter(request, next);
                    }
                }
            }
            return fallback.filter(request, next);
        }

        ExchangeFilterFunction fallback() {
            return fallback;
        }

        @Override
        public String toString() {
            return "RecloserRoutingFilter" + routes;
        }
    }
}
