package dev.recloser.webclient.guide;

import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.metrics.CircuitBreakerMeterBinder;
import dev.recloser.webclient.ResilienceFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

public class Observability {

    /** Meters for every breaker of the registry, those created later included, tagged by host. */
    public static void bindMetrics(CircuitBreakerRegistry registry, MeterRegistry meters) {
        CircuitBreakerMeterBinder.of(registry)
                .withTags(b -> Tags.of("host", ResilienceFilter.keyOf(b).orElse("none")))
                .bindTo(meters);
    }

    /** A filter built without .breakers(registry) keeps its breakers in a registry of its own. */
    public static String health(ExchangeFilterFunction filter) {
        CircuitBreakerRegistry registry = ResilienceFilter.breakersOf(filter).orElseThrow();
        return registry.health().toJson();                  // {"status":"HEALTHY","states":{...},...}
    }
}
