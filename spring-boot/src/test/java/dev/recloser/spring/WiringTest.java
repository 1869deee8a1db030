package dev.recloser.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.metrics.CircuitBreakerMeterBinder;
import dev.recloser.spring.actuate.CircuitBreakerEventsEndpoint;
import dev.recloser.spring.actuate.CircuitBreakersEndpoint;
import dev.recloser.spring.actuate.RecloserActuatorAutoConfiguration;
import dev.recloser.spring.actuate.RecloserHealthAutoConfiguration;
import dev.recloser.spring.actuate.RecloserHealthIndicator;
import dev.recloser.spring.cloud.RecloserCloudAutoConfiguration;
import dev.recloser.spring.cloud.RecloserReactiveCircuitBreakerFactory;
import dev.recloser.webclient.ResilienceFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/** The conditions of every auto-configuration, and the beans they wire, in real contexts. */
class WiringTest {

    private static final Duration IO = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RecloserAutoConfiguration.class,
                    RecloserWebClientAutoConfiguration.class, WebClientAutoConfiguration.class,
                    RecloserActuatorAutoConfiguration.class, RecloserHealthAutoConfiguration.class,
                    RecloserCloudAutoConfiguration.class));

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyInjectedWebClientBuilderGetsTheFilterOnTheApplicationRegistry() {
        runner.withPropertyValues("recloser.webclient.retry=none",
                "recloser.circuitbreaker.configs.default.minimum-number-of-calls=2",
                "recloser.circuitbreaker.configs.default.sliding-window-size=2").run(ctx -> {
            assertThat(ctx).hasNotFailed().hasBean("recloserWebClientFilter");
            CircuitBreakerRegistry registry = ctx.getBean(CircuitBreakerRegistry.class);
            assertThat(ResilienceFilter.breakersOf(ctx.getBean("recloserWebClientFilter", ExchangeFilterFunction.class)))
                    .contains(registry);
            WebClient client = ctx.getBean(WebClient.Builder.class).baseUrl(server.url("")).build();
            server.answer(503);
            for (int i = 0; i < 2; i++) {
                assertThat(client.get().uri("/x").retrieve().bodyToMono(String.class)
                        .onErrorResume(WebClientResponseException.class, e -> reactor.core.publisher.Mono.just("503"))
                        .block(IO)).isEqualTo("503");
            }
            CircuitBreaker breaker = registry.find("http:127.0.0.1:" + server.port()).orElseThrow();
            assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
            int before = server.requests();
            assertThat(client.get().uri("/x").retrieve().bodyToMono(String.class)
                    .onErrorResume(dev.recloser.core.CallNotPermittedException.class,
                            e -> reactor.core.publisher.Mono.just("fast fail")).block(IO)).isEqualTo("fast fail");
            assertThat(server.requests()).isEqualTo(before);
        });
    }

    @Test
    void overridesRouteHostsToTheirOwnConfig() {
        runner.withPropertyValues("recloser.circuitbreaker.configs.strict.preset=aggressive",
                "recloser.webclient.overrides.local.hosts=127.0.0.1",
                "recloser.webclient.overrides.local.circuit-breaker-config=strict",
                "recloser.webclient.overrides.local.retry=none").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            WebClient client = ctx.getBean(WebClient.Builder.class).baseUrl(server.url("")).build();
            assertThat(client.get().uri("/").retrieve().bodyToMono(String.class).block(IO)).isEqualTo("ok");
            CircuitBreaker b = ctx.getBean(CircuitBreakerRegistry.class).find("http:127.0.0.1:" + server.port()).orElseThrow();
            assertThat(b.config().minimumNumberOfCalls()).isEqualTo(CircuitBreakerConfig.aggressive().minimumNumberOfCalls());
        });
    }

    @Test
    void concurrencyLimitFromProperties() {
        for (String algorithm : List.of("aimd", "vegas", "gradient2")) {
            runner.withPropertyValues("recloser.webclient.concurrency-limit.enabled=true",
                    "recloser.webclient.concurrency-limit.algorithm=" + algorithm,
                    "recloser.webclient.concurrency-limit.initial-limit=4",
                    "recloser.webclient.concurrency-limit.min-limit=2",
                    "recloser.webclient.concurrency-limit.max-limit=8",
                    "recloser.webclient.concurrency-limit.min-window=500ms").run(ctx -> {
                assertThat(ctx).hasNotFailed();
                WebClient client = ctx.getBean(WebClient.Builder.class).baseUrl(server.url("")).build();
                assertThat(client.get().uri("/").retrieve().bodyToMono(String.class).block(IO)).isEqualTo("ok");
            });
        }
    }

    @Test
    void webclientEnabledFalseTurnsTheFilterOff() {
        runner.withPropertyValues("recloser.webclient.enabled=false").run(ctx -> {
            assertThat(ctx).hasNotFailed().doesNotHaveBean("recloserWebClientFilter")
                    .doesNotHaveBean("recloserWebClientCustomizer").hasSingleBean(CircuitBreakerRegistry.class);
            WebClient client = ctx.getBean(WebClient.Builder.class).baseUrl(server.url("")).build();
            assertThat(client.get().uri("/").retrieve().bodyToMono(String.class).block(IO)).isEqualTo("ok");
            assertThat(ctx.getBean(CircuitBreakerRegistry.class).all()).isEmpty();
        });
    }

    @Test
    void aUserResilienceFilterBeanIsUsedInstead() {
        runner.withUserConfiguration(UserFilter.class).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            WebClient client = ctx.getBean(WebClient.Builder.class).baseUrl(server.url("")).build();
            assertThat(client.get().uri("/").retrieve().bodyToMono(String.class).block(IO)).isEqualTo("ok");
            assertThat(UserFilter.REGISTRY.find("http:127.0.0.1:" + server.port())).isPresent();
            assertThat(ctx.getBean(CircuitBreakerRegistry.class).all()).isEmpty();
        });
    }

    @Test
    void withoutSpringBootWebClientThereIsNoCustomizer() {
        runner.withClassLoader(new FilteredClassLoader(WebClientCustomizer.class)).run(ctx ->
                assertThat(ctx).hasNotFailed().doesNotHaveBean("recloserWebClientFilter")
                        .hasSingleBean(CircuitBreakerRegistry.class));
    }

    @Test
    void metersBindToTheApplicationMeterRegistry() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                .withPropertyValues("recloser.circuitbreaker.instances.inventory.minimum-number-of-calls=5",
                        "recloser.retry.instances.inventory.max-attempts=2",
                        "recloser.bulkhead.instances.inventory.max-concurrent-calls=3").run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(CircuitBreakerMeterBinder.class);
                    MeterRegistry meters = ctx.getBean(MeterRegistry.class);
                    assertThat(meters.find("recloser.circuitbreaker.state").tag("name", "inventory").gauges()).isNotEmpty();
                    assertThat(meters.find("recloser.retry.calls").tag("name", "inventory").counters()).isNotEmpty();
                    assertThat(meters.find("recloser.retry.calls").tag("name", "webclient").counters()).isNotEmpty();
                    assertThat(meters.find("recloser.bulkhead.available.permits").meters()).isNotEmpty();
                });
    }

    @Test
    void withoutMicrometerTheRestStillWorks() {
        runner.withClassLoader(new FilteredClassLoader(MeterBinder.class)).run(ctx ->
                assertThat(ctx).hasNotFailed().doesNotHaveBean(CircuitBreakerMeterBinder.class)
                        .hasSingleBean(Recloser.class).hasBean("recloserWebClientFilter"));
    }

    @Test
    void healthReportsOpenBreakersWithTheConfiguredStatus() {
        runner.withPropertyValues("recloser.circuitbreaker.instances.inventory.minimum-number-of-calls=5").run(ctx -> {
            RecloserHealthIndicator health = ctx.getBean(RecloserHealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            ctx.getBean(CircuitBreakerRegistry.class).find("inventory").orElseThrow().transitionToForcedOpen();
            assertThat(health.health().getStatus().getCode()).isEqualTo("CIRCUIT_OPEN");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> details =
                    (Map<String, Map<String, Object>>) health.health().getDetails().get("circuitBreakers");
            assertThat(details.get("inventory")).containsEntry("state", "FORCED_OPEN").doesNotContainKey("failureRate");
        });
        runner.withPropertyValues("recloser.health.open-status=DOWN",
                "recloser.circuitbreaker.instances.inventory.minimum-number-of-calls=5").run(ctx -> {
            ctx.getBean(CircuitBreakerRegistry.class).find("inventory").orElseThrow().transitionToOpen();
            assertThat(ctx.getBean(RecloserHealthIndicator.class).health().getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void healthCanBeTurnedOffOrBeAbsent() {
        runner.withPropertyValues("management.health.recloser.enabled=false").run(ctx ->
                assertThat(ctx).hasNotFailed().doesNotHaveBean(RecloserHealthIndicator.class));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(ctx ->
                assertThat(ctx).hasNotFailed().doesNotHaveBean(RecloserHealthIndicator.class));
    }

    @Test
    void endpointsReadAndWrite() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=circuitbreakers,circuitbreakerevents",
                "recloser.circuitbreaker.instances.inventory.minimum-number-of-calls=5").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            CircuitBreakersEndpoint endpoint = ctx.getBean(CircuitBreakersEndpoint.class);
            assertThat(endpoint.circuitBreaker("inventory")).containsEntry("state", "CLOSED")
                    .containsEntry("bufferedCalls", 0L).doesNotContainKey("failureRate");
            assertThat(endpoint.circuitBreaker("nonesuch")).isNull();
            assertThat(endpoint.transition("inventory", "FORCE_OPEN")).containsEntry("state", "FORCED_OPEN");
            assertThat(endpoint.transition("inventory", "disable")).containsEntry("state", "DISABLED");
            assertThat(endpoint.transition("inventory", "open")).containsEntry("state", "OPEN");
            assertThat(endpoint.transition("inventory", "reset")).containsEntry("state", "CLOSED");
            assertThat(endpoint.circuitBreakers().get("circuitBreakers")).asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey("inventory");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> events = (List<Map<String, Object>>)
                    ctx.getBean(CircuitBreakerEventsEndpoint.class).eventsOf("inventory").get("events");
            assertThat(events).extracting(e -> e.get("to"))
                    .containsExactly("FORCED_OPEN", "DISABLED", "OPEN", "CLOSED");
            assertThat(events).extracting(e -> e.get("reason")).containsOnly("MANUAL", "RESET");
        });
    }

    @Test
    void endpointsAreOffUnlessAvailable() {
        runner.withPropertyValues("management.endpoints.access.default=NONE").run(ctx ->
                assertThat(ctx).hasNotFailed().doesNotHaveBean(CircuitBreakersEndpoint.class)
                        .doesNotHaveBean(CircuitBreakerEventsEndpoint.class));
    }

    @Test
    void springCloudFactoryOnlyWithSpringCloud() {
        runner.run(ctx -> assertThat(ctx).hasSingleBean(RecloserReactiveCircuitBreakerFactory.class));
        runner.withPropertyValues("recloser.cloud.enabled=false").run(ctx ->
                assertThat(ctx).doesNotHaveBean(ReactiveCircuitBreakerFactory.class));
        runner.withClassLoader(new FilteredClassLoader(ReactiveCircuitBreakerFactory.class)).run(ctx ->
                assertThat(ctx).hasNotFailed().doesNotHaveBean(RecloserReactiveCircuitBreakerFactory.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserFilter {
        static final CircuitBreakerRegistry REGISTRY = CircuitBreakerRegistry.ofDefaults();

        @Bean
        ExchangeFilterFunction myResilienceFilter() {
            return ResilienceFilter.builder().breakers(REGISTRY).build();
        }
    }
}
