package dev.recloser.spring.cloud;

import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.spring.RecloserAutoConfiguration;
import dev.recloser.spring.RecloserProperties;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.context.annotation.Bean;

/**
 * The {@link RecloserReactiveCircuitBreakerFactory}, when spring-cloud-commons is on the class path,
 * no other {@code ReactiveCircuitBreakerFactory} bean exists and {@code recloser.cloud.enabled} is
 * not false. Placed before Spring Cloud's Resilience4j auto-configuration, so that with both on the
 * class path Recloser's factory is the one. {@code Customizer<RecloserReactiveCircuitBreakerFactory>}
 * beans are applied to it, as Spring Cloud's own factories do.
 */
@AutoConfiguration(after = RecloserAutoConfiguration.class,
        beforeName = "org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JAutoConfiguration")
@ConditionalOnClass({ReactiveCircuitBreakerFactory.class, reactor.core.publisher.Mono.class})
@ConditionalOnProperty(prefix = "recloser.cloud", name = "enabled", matchIfMissing = true)
public class RecloserCloudAutoConfiguration {

    /** Created by Spring. */
    public RecloserCloudAutoConfiguration() {
    }

    /** The factory, customized by every {@code Customizer<RecloserReactiveCircuitBreakerFactory>} bean. */
    @Bean
    @ConditionalOnMissingBean(ReactiveCircuitBreakerFactory.class)
    public RecloserReactiveCircuitBreakerFactory recloserReactiveCircuitBreakerFactory(
            CircuitBreakerRegistry registry, RecloserProperties properties,
            ObjectProvider<Customizer<RecloserReactiveCircuitBreakerFactory>> customizers) {
        RecloserProperties.Cloud cloud = properties.getCloud();
        RecloserReactiveCircuitBreakerFactory factory;
        try {
            factory = new RecloserReactiveCircuitBreakerFactory(registry,
                    cloud.isTimeoutEnabled() ? cloud.getTimeout() : null);
        } catch (IllegalArgumentException e) {
            throw new dev.recloser.spring.RecloserConfigurationException("recloser.cloud.timeout", cloud.getTimeout(),
                    String.valueOf(e.getMessage()), e);
        }
        List<Customizer<RecloserReactiveCircuitBreakerFactory>> list = customizers.orderedStream().toList();
        for (Customizer<RecloserReactiveCircuitBreakerFactory> c : list) {
            c.customize(factory);
        }
        return factory;
    }
}
