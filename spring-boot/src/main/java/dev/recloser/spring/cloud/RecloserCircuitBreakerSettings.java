package dev.recloser.spring.cloud;

import dev.recloser.core.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * What a Spring Cloud circuit breaker id runs with: the breaker config (used when the breaker is
 * created; a breaker that exists already, such as a {@code recloser.circuitbreaker.instances} entry,
 * keeps its own) and the timeout of each run, inside the breaker (empty: none).
 *
 * @param breakerConfig the config of the breaker
 * @param timeout       the timeout of each run, or empty
 */
public record RecloserCircuitBreakerSettings(CircuitBreakerConfig breakerConfig, Optional<Duration> timeout) {

    /** Builds settings, for {@code factory.configure(builder -> ..., ids)} and {@code configureDefault}. */
    public static final class Builder
            implements org.springframework.cloud.client.circuitbreaker.ConfigBuilder<RecloserCircuitBreakerSettings> {
        private CircuitBreakerConfig breakerConfig;
        private Duration timeout;

        Builder(CircuitBreakerConfig breakerConfig, Duration timeout) {
            this.breakerConfig = breakerConfig;
            this.timeout = timeout;
        }

        /** The breaker config. */
        public Builder breakerConfig(CircuitBreakerConfig config) {
            this.breakerConfig = java.util.Objects.requireNonNull(config, "breakerConfig");
            return this;
        }

        /**
         * The timeout of each run; positive.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** No timeout. */
        public Builder noTimeout() {
            this.timeout = null;
            return this;
        }

        @Override
        public RecloserCircuitBreakerSettings build() {
            return new RecloserCircuitBreakerSettings(breakerConfig, Optional.ofNullable(timeout));
        }
    }
}
