package dev.recloser.spring.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.reactor.CircuitBreakerOperator;
import dev.recloser.redis.FleetMeterBinder;
import dev.recloser.redis.RedisFleet;
import dev.recloser.spring.RecloserAutoConfiguration;
import dev.recloser.spring.RecloserConfigurationException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;
import redis.embedded.RedisServer;

/**
 * {@code recloser.fleet.*} against a real redis-server (the binary inside embedded-redis) on a
 * random loopback port: off without the URI or without recloser-redis, on with it (the registry's
 * breakers join: a trip is published to the store), meters, and invalid values named at start-up.
 */
class FleetAutoConfigurationTest {

    private static RedisServer redis;
    private static int port;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RecloserAutoConfiguration.class,
                    RecloserFleetAutoConfiguration.class));

    @BeforeAll
    static void startRedis() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        redis.start();
    }

    @AfterAll
    static void stopRedis() throws IOException {
        if (redis != null) {
            redis.stop();
        }
    }

    private String uri() {
        return "recloser.fleet.redis.uri=redis://127.0.0.1:" + port;
    }

    @Test
    void offWithoutTheUri() {
        runner.run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(RedisFleet.class)
                .hasSingleBean(CircuitBreakerRegistry.class));
    }

    @Test
    void offWithoutRecloserRedisOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader(RedisFleet.class)).withPropertyValues(uri())
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean("recloserRedisFleet"));
    }

    @Test
    void withTheUriTheRegistrysBreakersJoinAndATripIsPublished() {
        runner.withPropertyValues(uri(), "recloser.fleet.namespace=spring-test",
                        "recloser.fleet.instance-id=member-a", "recloser.fleet.heartbeat=100ms",
                        "recloser.fleet.quorum-instances=1", // alone, so that its own trip is a verdict
                        "recloser.circuitbreaker.instances.inventory.minimum-number-of-calls=2")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(RedisFleet.class);
                    RedisFleet fleet = ctx.getBean(RedisFleet.class);
                    assertThat(fleet.namespace()).isEqualTo("spring-test");
                    assertThat(fleet.instanceId()).isEqualTo("member-a");
                    await("connected, one live member", () -> fleet.connected() && fleet.stats().members() == 1);

                    CircuitBreaker inventory = ctx.getBean(CircuitBreakerRegistry.class).breaker("inventory");
                    for (int i = 0; i < 2; i++) {
                        Mono.error(new IOException("down")).transform(CircuitBreakerOperator.of(inventory))
                                .onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(5));
                    }
                    assertThat(inventory.state()).isEqualTo(CircuitBreaker.State.OPEN);
                    await("the local trip published as a verdict", () -> fleet.stats().verdictsPublished() >= 1);
                });
    }

    @Test
    void metersBindToTheApplicationMeterRegistry() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                .withPropertyValues(uri(), "recloser.fleet.namespace=spring-meters")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(FleetMeterBinder.class);
                    assertThat(ctx.getBean(MeterRegistry.class).find("recloser.fleet.connected").gauges()).isNotEmpty();
                });
    }

    @Test
    void invalidValuesNameTheProperty() {
        expectFailure("recloser.fleet.heartbeat=5ms", "recloser.fleet.heartbeat", "at least 10 ms");
        expectFailure("recloser.fleet.quorum-fraction=1.5", "recloser.fleet.quorum-fraction", "between 0 and 1");
        expectFailure("recloser.fleet.namespace=has space", "recloser.fleet.namespace", "[A-Za-z0-9._:-]");
    }

    @Test
    void anInvalidUriIsNamedWithoutItsValue() {
        runner.withPropertyValues("recloser.fleet.redis.uri=redis://:secret@[bad").run(ctx -> {
            assertThat(ctx).hasFailed();
            RecloserConfigurationException e = find(ctx.getStartupFailure());
            assertThat(e).isNotNull();
            assertThat(e.property()).isEqualTo("recloser.fleet.redis.uri");
            assertThat(e.getMessage()).doesNotContain("secret");
        });
    }

    private void expectFailure(String property, String reported, String range) {
        runner.withPropertyValues(uri(), property).run(ctx -> {
            assertThat(ctx).hasFailed();
            RecloserConfigurationException e = find(ctx.getStartupFailure());
            assertThat(e).as("cause of %s", ctx.getStartupFailure()).isNotNull();
            assertThat(e.property()).isEqualTo(reported);
            assertThat(e.getMessage()).contains(range);
        });
    }

    private static RecloserConfigurationException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RecloserConfigurationException r) {
                return r;
            }
        }
        return null;
    }

    /** Bounded polling: the store's state moves in real time (heartbeats, pub/sub). */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("not within 10 s: %s", what).isNegative();
            LockSupport.parkNanos(5_000_000L);
        }
    }
}
