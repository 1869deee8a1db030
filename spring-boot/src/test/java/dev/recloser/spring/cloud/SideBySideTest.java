package dev.recloser.spring.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.spring.RecloserAutoConfiguration;
import io.github.resilience4j.springboot3.bulkhead.autoconfigure.BulkheadAutoConfiguration;
import io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot3.timelimiter.autoconfigure.TimeLimiterAutoConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JAutoConfiguration;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The same Spring Cloud CircuitBreaker application code, with the same assertions on fallback and
 * fast fail, against Spring Cloud's Resilience4j implementation and against Recloser's. Each side
 * is configured with its own properties for the same window (4 calls, all needed, 50%). Runs in its
 * own surefire execution (by its tag): the Resilience4j auto-configurations are kept off the other tests.
 */
@Tag("spring-cloud-side-by-side")
class SideBySideTest {

    private static final Duration IO = Duration.ofSeconds(10);

    /** Application code that only knows Spring Cloud's API. */
    static final class StockService {
        private final ReactiveCircuitBreakerFactory<?, ?> factory;

        StockService(ReactiveCircuitBreakerFactory<?, ?> factory) {
            this.factory = factory;
        }

        Mono<String> stock(Mono<String> call) {
            return factory.create("inventory").run(call, e -> Mono.just("fallback:" + e.getClass().getSimpleName()));
        }

        Flux<String> stocks(Flux<String> call) {
            return factory.create("inventory").run(call, e -> Flux.just("fallback:" + e.getClass().getSimpleName()));
        }
    }

    private final ApplicationContextRunner resilience4j = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CircuitBreakerAutoConfiguration.class,
                    TimeLimiterAutoConfiguration.class, BulkheadAutoConfiguration.class,
                    ReactiveResilience4JAutoConfiguration.class))
            .withPropertyValues("resilience4j.circuitbreaker.configs.default.sliding-window-size=4",
                    "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=4",
                    "resilience4j.circuitbreaker.configs.default.wait-duration-in-open-state=1h");

    private final ApplicationContextRunner recloser = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RecloserAutoConfiguration.class, RecloserCloudAutoConfiguration.class))
            .withPropertyValues("recloser.circuitbreaker.configs.default.sliding-window-size=4",
                    "recloser.circuitbreaker.configs.default.minimum-number-of-calls=4",
                    "recloser.circuitbreaker.configs.default.wait-duration-in-open-state=1h",
                    "recloser.circuitbreaker.configs.default.max-wait-duration-in-open-state=1h");

    @Test
    void resilience4jImplementation() {
        resilience4j.run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(ReactiveResilience4JCircuitBreakerFactory.class);
            sameAssertions(ctx);
        });
    }

    @Test
    void recloserImplementation() {
        recloser.run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(RecloserReactiveCircuitBreakerFactory.class);
            sameAssertions(ctx);
        });
    }

    @Test
    void recloserAppliesFactoryAndBreakerCustomizers() {
        recloser.withUserConfiguration(Customizers.class).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            StockService service = new StockService(ctx.getBean(ReactiveCircuitBreakerFactory.class));
            assertThat(service.stock(Mono.just("42")).block(IO)).isEqualTo("42");
            assertThat(Customizers.CUSTOMIZED).hasValue(1);
            assertThat(service.stock(Mono.never()).block(IO)).as("the customized 50 ms timeout")
                    .isEqualTo("fallback:AttemptTimeoutException");
            service.stock(Mono.just("again")).block(IO);
            assertThat(Customizers.CUSTOMIZED).as("once per breaker").hasValue(1);
        });
    }

    private static void sameAssertions(ApplicationContext ctx) {
        StockService service = new StockService(ctx.getBean(ReactiveCircuitBreakerFactory.class));
        assertThat(service.stock(Mono.just("42")).block(IO)).isEqualTo("42");
        assertThat(service.stocks(Flux.just("1", "2")).collectList().block(IO)).isEqualTo(List.of("1", "2"));
        AtomicInteger subscriptions = new AtomicInteger();
        Mono<String> failing = Mono.defer(() -> {
            subscriptions.incrementAndGet();
            return Mono.error(new IOException("down"));
        });
        // Two successes and two failures fill the window of 4 at 50%: the breaker opens.
        assertThat(service.stock(failing).block(IO)).isEqualTo("fallback:IOException");
        assertThat(service.stock(failing).block(IO)).isEqualTo("fallback:IOException");
        assertThat(subscriptions).hasValue(2);
        assertThat(service.stock(failing).block(IO)).isEqualTo("fallback:CallNotPermittedException");
        assertThat(service.stocks(Flux.defer(() -> {
            subscriptions.incrementAndGet();
            return Flux.just("x");
        })).collectList().block(IO)).isEqualTo(List.of("fallback:CallNotPermittedException"));
        assertThat(subscriptions).as("an open breaker does not subscribe to the call").hasValue(2);
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        static final AtomicInteger CUSTOMIZED = new AtomicInteger();

        @Bean
        Customizer<RecloserReactiveCircuitBreakerFactory> timeouts() {
            return factory -> {
                factory.configure(b -> b.timeout(Duration.ofMillis(50)), "inventory");
                factory.addCircuitBreakerCustomizer(breaker -> CUSTOMIZED.incrementAndGet(), "inventory");
            };
        }
    }
}
