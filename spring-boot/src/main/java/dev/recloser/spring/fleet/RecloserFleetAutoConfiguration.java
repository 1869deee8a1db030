package dev.recloser.spring.fleet;

import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.redis.FleetMeterBinder;
import dev.recloser.redis.RedisFleet;
import dev.recloser.spring.RecloserAutoConfiguration;
import dev.recloser.spring.RecloserConfigurationException;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Consumer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Fleet mode: with {@code recloser-redis} on the class path and {@code recloser.fleet.redis.uri}
 * set, a {@link RedisFleet} built from {@code recloser.fleet.*} that every breaker of the
 * application's {@link CircuitBreakerRegistry} joins, now and later. The fleet connects in the
 * background: a store that is down at start-up neither fails nor delays the start (breakers decide
 * locally until it is back). Closed with the context (the member leaves; breakers go on locally).
 * A {@code RedisFleet} bean of the application's replaces this one (and is joined by nobody here).
 */
@AutoConfiguration(after = RecloserAutoConfiguration.class)
@ConditionalOnClass({RedisFleet.class, RedisURI.class})
@ConditionalOnProperty(prefix = "recloser.fleet.redis", name = "uri")
@EnableConfigurationProperties(RecloserFleetProperties.class)
public class RecloserFleetAutoConfiguration {

    /** Created by Spring. */
    public RecloserFleetAutoConfiguration() {
    }

    /** The fleet, joined by the registry's breakers. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnBean(CircuitBreakerRegistry.class)
    public RedisFleet recloserRedisFleet(RecloserFleetProperties properties, CircuitBreakerRegistry registry) {
        RedisFleet fleet = build(properties);
        fleet.join(registry);
        return fleet;
    }

    static RedisFleet build(RecloserFleetProperties p) {
        String uri = p.getRedis().getUri();
        RedisURI redisUri;
        try {
            redisUri = RedisURI.create(uri);
        } catch (RuntimeException e) {
            // The message would carry the URI's password: name the property, not the value.
            throw new RecloserConfigurationException("recloser.fleet.redis.uri", "(not shown)",
                    "not a Redis URI (" + e.getClass().getSimpleName() + ")", e);
        }
        RedisFleet.Builder b = RedisFleet.builder(redisUri);
        // Heartbeat before the member TTL: the builder checks each against the other as it is set.
        set("namespace", p.getNamespace(), b::namespace);
        set("instance-id", p.getInstanceId(), b::instanceId);
        set("heartbeat", p.getHeartbeat(), b::heartbeat);
        set("member-ttl", p.getMemberTtl(), b::memberTtl);
        set("quorum-instances", p.getQuorumInstances(), b::quorumInstances);
        set("quorum-fraction", p.getQuorumFraction(), b::quorumFraction);
        set("lease-duration", p.getLeaseDuration(), b::leaseDuration);
        return b.build();
    }

    private static <T> void set(String option, T value, Consumer<T> setter) {
        if (value == null) {
            return;
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            throw new RecloserConfigurationException("recloser.fleet." + option, value, e.getMessage(), e);
        }
    }

    /** {@code recloser.fleet.*} meters, when Micrometer is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {

        // No @ConditionalOnBean(RedisFleet): member classes are processed before the outer class's
        // bean methods, so it would never match; the outer conditions already hold here.
        @Bean
        @ConditionalOnMissingBean
        FleetMeterBinder recloserFleetMeterBinder(RedisFleet fleet) {
            return new FleetMeterBinder(fleet);
        }
    }
}
