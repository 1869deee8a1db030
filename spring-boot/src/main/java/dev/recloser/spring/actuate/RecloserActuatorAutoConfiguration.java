package dev.recloser.spring.actuate;

import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.spring.RecloserAutoConfiguration;
import dev.recloser.spring.TransitionLog;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code circuitbreakers} and {@code circuitbreakerevents} endpoints, when Actuator is on the
 * class path and the endpoint is available (enabled and exposed).
 */
@AutoConfiguration(after = RecloserAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
public class RecloserActuatorAutoConfiguration {

    /** Created by Spring. */
    public RecloserActuatorAutoConfiguration() {
    }

    /** {@code /actuator/circuitbreakers}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    public CircuitBreakersEndpoint recloserCircuitBreakersEndpoint(CircuitBreakerRegistry registry) {
        return new CircuitBreakersEndpoint(registry);
    }

    /** {@code /actuator/circuitbreakerevents}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    public CircuitBreakerEventsEndpoint recloserCircuitBreakerEventsEndpoint(TransitionLog log) {
        return new CircuitBreakerEventsEndpoint(log);
    }

}
