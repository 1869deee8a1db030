package dev.recloser.spring;

import dev.recloser.core.Bulkhead;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.metrics.BulkheadMeterBinder;
import dev.recloser.core.metrics.CircuitBreakerMeterBinder;
import dev.recloser.core.metrics.RetryMeterBinder;
import dev.recloser.core.retry.RetryListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The core of the starter: the {@link CircuitBreakerRegistry} built from
 * {@code recloser.circuitbreaker.*} (named configs registered, instances created at start-up), the
 * {@link Recloser} operator bean, the transition log, and, with Micrometer present, meter binders
 * that Spring Boot binds to the application's {@code MeterRegistry}. A bean of the same type
 * defined by the application replaces each of them.
 */
@AutoConfiguration
@EnableConfigurationProperties(RecloserProperties.class)
public class RecloserAutoConfiguration {

    /** Created by Spring. */
    public RecloserAutoConfiguration() {
    }

    @Bean
    RecloserConfigurations recloserConfigurations(RecloserProperties properties) {
        return new RecloserConfigurations(properties);
    }

    /**
     * The registry: {@code configs.default} (or balanced) as its default config, every named config
     * registered, every instance created, {@code recloser.circuitbreaker.tags} on every breaker.
     */
    @Bean
    @ConditionalOnMissingBean
    CircuitBreakerRegistry recloserCircuitBreakerRegistry(RecloserConfigurations configurations) {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(configurations.defaultConfig(),
                configurations.properties().getCircuitbreaker().getTags());
        for (Map.Entry<String, CircuitBreakerConfig> e : configurations.configs().entrySet()) {
            registry.addConfig(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, CircuitBreakerConfig> e : configurations.instances().entrySet()) {
            registry.breaker(e.getKey(), e.getValue(), configurations.instanceTags(e.getKey()));
        }
        return registry;
    }

    /** Operators by name for {@code transform}. */
    @Bean
    @ConditionalOnMissingBean
    Recloser recloser(CircuitBreakerRegistry registry, RecloserConfigurations configurations,
                      ObjectProvider<RetryListeners> listeners) {
        return new Recloser(registry, configurations, listeners.getIfAvailable(() -> RetryListeners.NONE));
    }

    /** The recent transitions of every breaker, for the {@code circuitbreakerevents} endpoint. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public TransitionLog recloserTransitionLog(CircuitBreakerRegistry registry, RecloserProperties properties) {
        return new TransitionLog(registry, properties.getEvents().getCapacity(), Clock.systemUTC());
    }

    /** Meters, when Micrometer is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        CircuitBreakerMeterBinder recloserCircuitBreakerMeterBinder(CircuitBreakerRegistry registry) {
            return CircuitBreakerMeterBinder.of(registry);
        }

        @Bean
        RetryMeters recloserRetryMeters(RecloserConfigurations configurations) {
            return new RetryMeters(configurations);
        }

        @Bean
        MeterBinder recloserBulkheadMeters(RecloserConfigurations configurations) {
            return meters -> {
                for (Bulkhead b : configurations.bulkheads().values()) {
                    BulkheadMeterBinder.of(b).bindTo(meters);
                }
            };
        }
    }

    /**
     * One {@link RetryMeterBinder} per configured retry policy and one ({@code webclient}) for the
     * WebClient filter, bound with every meter registry Spring Boot binds this to.
     */
    static final class RetryMeters implements MeterBinder, RetryListeners {
        static final String WEBCLIENT = "webclient";
        private final Map<String, RetryMeterBinder> binders = new LinkedHashMap<>();

        RetryMeters(RecloserConfigurations configurations) {
            for (String name : configurations.retries().keySet()) {
                binders.put(name, RetryMeterBinder.of(name));
            }
            binders.putIfAbsent(WEBCLIENT, RetryMeterBinder.of(WEBCLIENT));
        }

        @Override
        public void bindTo(MeterRegistry meters) {
            binders.values().forEach(b -> b.bindTo(meters));
        }

        @Override
        public RetryListener forName(String name) {
            RetryListener l = binders.get(name);
            return l != null ? l : RetryListener.NONE;
        }
    }
}
