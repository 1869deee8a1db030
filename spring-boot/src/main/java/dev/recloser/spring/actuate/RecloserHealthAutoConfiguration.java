package dev.recloser.spring.actuate;

import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.spring.RecloserAutoConfiguration;
import dev.recloser.spring.RecloserProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

/**
 * The {@code recloser} health contributor, when {@code spring-boot-health} is on the class path;
 * {@code management.health.recloser.enabled=false} turns it off.
 */
@AutoConfiguration(after = RecloserAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnEnabledHealthIndicator("recloser")
public class RecloserHealthAutoConfiguration {

    /** Created by Spring. */
    public RecloserHealthAutoConfiguration() {
    }

    /** The contributor, named {@code recloser} after the bean. */
    @Bean
    @ConditionalOnMissingBean(name = "recloserHealthIndicator")
    public RecloserHealthIndicator recloserHealthIndicator(CircuitBreakerRegistry registry, RecloserProperties properties) {
        return new RecloserHealthIndicator(registry, status(properties.getHealth().getOpenStatus()),
                status(properties.getHealth().getHalfOpenStatus()));
    }

    private static Status status(String code) {
        return switch (code.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "UP" -> Status.UP;
            case "DOWN" -> Status.DOWN;
            case "OUT_OF_SERVICE" -> Status.OUT_OF_SERVICE;
            case "UNKNOWN" -> Status.UNKNOWN;
            default -> new Status(code.trim());
        };
    }
}
