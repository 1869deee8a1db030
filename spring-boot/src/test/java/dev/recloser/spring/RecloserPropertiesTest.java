package dev.recloser.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.SlidingWindow;
import dev.recloser.core.retry.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Every property group turned into the core's configs, in a real application context. */
class RecloserPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RecloserAutoConfiguration.class));

    @Test
    void withoutPropertiesTheRegistryHasTheBalancedDefault() {
        runner.run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(CircuitBreakerRegistry.class).hasSingleBean(Recloser.class)
                    .hasSingleBean(TransitionLog.class);
            CircuitBreakerRegistry registry = ctx.getBean(CircuitBreakerRegistry.class);
            assertThat(registry.defaultConfig()).isSameAs(CircuitBreakerConfig.balanced());
            assertThat(registry.all()).isEmpty();
        });
    }

    @Test
    void configsDefaultChangesTheDefaultAndInstancesInheritIt() {
        runner.withPropertyValues(
                "recloser.circuitbreaker.configs.default.failure-rate-threshold=30",
                "recloser.circuitbreaker.configs.default.wait-duration-in-open-state=10s",
                "recloser.circuitbreaker.configs.default.tags.team=payments",
                "recloser.circuitbreaker.tags.app=shop",
                "recloser.circuitbreaker.instances.inventory.minimum-number-of-calls=5",
                "recloser.circuitbreaker.instances.inventory.tags.dependency=inventory").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            CircuitBreakerRegistry registry = ctx.getBean(CircuitBreakerRegistry.class);
            assertThat(registry.defaultConfig().failureRateThreshold()).isEqualTo(30.0);
            assertThat(registry.defaultConfig().waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(10));
            CircuitBreaker inventory = registry.find("inventory").orElseThrow();
            assertThat(inventory.config().failureRateThreshold()).isEqualTo(30.0);
            assertThat(inventory.config().minimumNumberOfCalls()).isEqualTo(5);
            assertThat(inventory.tags()).containsEntry("app", "shop").containsEntry("team", "payments")
                    .containsEntry("dependency", "inventory");
            assertThat(ctx.getBean(Recloser.class).breaker("inventory")).isSameAs(inventory);
            assertThat(ctx.getBean(Recloser.class).breaker("other").config()).isSameAs(registry.defaultConfig());
        });
    }

    @Test
    void baseConfigAndPresetsChain() {
        runner.withPropertyValues(
                "recloser.circuitbreaker.configs.fast.preset=aggressive",
                "recloser.circuitbreaker.configs.fast.wait-duration-in-open-state=2s",
                "recloser.circuitbreaker.configs.fast-shadow.base-config=fast",
                "recloser.circuitbreaker.configs.fast-shadow.metrics-only=true",
                "recloser.circuitbreaker.instances.search.base-config=fast-shadow",
                "recloser.circuitbreaker.instances.billing.preset=conservative",
                "recloser.circuitbreaker.instances.billing.sliding-window-length=30s",
                "recloser.circuitbreaker.instances.ledger.sliding-window-type=time-based",
                "recloser.circuitbreaker.instances.ledger.sliding-window-buckets=6",
                "recloser.circuitbreaker.instances.ledger.slow-call-duration-threshold=800ms",
                "recloser.circuitbreaker.instances.ledger.slow-call-rate-threshold=40",
                "recloser.circuitbreaker.instances.ledger.consecutive-failure-threshold=3",
                "recloser.circuitbreaker.instances.ledger.open-state-backoff-multiplier=1.5",
                "recloser.circuitbreaker.instances.ledger.max-wait-duration-in-open-state=2m",
                "recloser.circuitbreaker.instances.ledger.open-state-jitter=0",
                "recloser.circuitbreaker.instances.ledger.permitted-calls-in-half-open-state=2",
                "recloser.circuitbreaker.instances.ledger.max-wait-in-half-open-state=5s",
                "recloser.circuitbreaker.instances.ledger.log-transitions=false").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            CircuitBreakerRegistry registry = ctx.getBean(CircuitBreakerRegistry.class);
            CircuitBreakerConfig search = registry.find("search").orElseThrow().config();
            assertThat(search.failureRateThreshold()).isEqualTo(CircuitBreakerConfig.aggressive().failureRateThreshold());
            assertThat(search.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(2));
            assertThat(search.metricsOnly()).isTrue();
            assertThat(registry.config("fast")).isPresent();
            CircuitBreakerConfig billing = registry.find("billing").orElseThrow().config();
            assertThat(billing.slidingWindow()).isEqualTo(SlidingWindow.timeBased(Duration.ofSeconds(30), 12));
            assertThat(billing.permittedCallsInHalfOpenState()).isEqualTo(3);
            CircuitBreakerConfig ledger = registry.find("ledger").orElseThrow().config();
            assertThat(ledger.slidingWindow()).isEqualTo(SlidingWindow.timeBased(Duration.ofSeconds(60), 6));
            assertThat(ledger.slowCallDurationThreshold()).contains(Duration.ofMillis(800));
            assertThat(ledger.slowCallRateThreshold()).isEqualTo(40.0);
            assertThat(ledger.consecutiveFailureThreshold()).isEqualTo(3);
            assertThat(ledger.openStateBackoffMultiplier()).isEqualTo(1.5);
            assertThat(ledger.maxWaitDurationInOpenState()).isEqualTo(Duration.ofMinutes(2));
            assertThat(ledger.openStateJitter()).isZero();
            assertThat(ledger.permittedCallsInHalfOpenState()).isEqualTo(2);
            assertThat(ledger.maxWaitInHalfOpenState()).isEqualTo(Duration.ofSeconds(5));
            assertThat(ledger.logTransitions()).isFalse();
        });
    }

    @Test
    void recordAndIgnoreExceptionsClassify() {
        runner.withPropertyValues(
                "recloser.circuitbreaker.instances.a.record-exceptions=java.io.IOException,java.util.concurrent.TimeoutException",
                "recloser.circuitbreaker.instances.a.ignore-exceptions=java.io.FileNotFoundException").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            CircuitBreakerConfig a = ctx.getBean(CircuitBreakerRegistry.class).find("a").orElseThrow().config();
            assertThat(a.recordFailure().test(new IOException())).isTrue();
            assertThat(a.recordFailure().test(new TimeoutException())).isTrue();
            assertThat(a.recordFailure().test(new IllegalStateException())).isFalse();
            assertThat(a.ignoreErrors().test(new java.io.FileNotFoundException())).isTrue();
        });
    }

    @Test
    void retryPoliciesAndBulkheadsByName() {
        runner.withPropertyValues(
                "recloser.retry.instances.inventory.max-attempts=4",
                "recloser.retry.instances.inventory.backoff=fixed",
                "recloser.retry.instances.inventory.initial-delay=1ms",
                "recloser.retry.instances.inventory.jitter=none",
                "recloser.retry.instances.inventory.retry-exceptions=java.io.IOException",
                "recloser.retry.instances.slow.backoff=linear",
                "recloser.retry.instances.slow.max-total-duration=10s",
                "recloser.bulkhead.instances.inventory.max-concurrent-calls=7").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            Recloser recloser = ctx.getBean(Recloser.class);
            RetryPolicy policy = recloser.retryPolicy("inventory").orElseThrow();
            assertThat(policy.maxAttempts()).isEqualTo(4);
            assertThat(policy.isRetryable(new IOException())).isTrue();
            assertThat(policy.isRetryable(new IllegalStateException())).isFalse();
            assertThat(recloser.retryPolicy("slow").orElseThrow().maxTotalDuration()).contains(Duration.ofSeconds(10));
            assertThat(recloser.bulkhead("inventory").orElseThrow().maxConcurrentCalls()).isEqualTo(7);

            java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
            Mono<String> flaky = Mono.defer(() -> attempts.incrementAndGet() < 3
                    ? Mono.error(new IOException("flaky")) : Mono.just("ok"));
            StepVerifier.create(flaky.transform(recloser.standard("inventory")))
                    .expectNext("ok").expectComplete().verify(Duration.ofSeconds(5));
            assertThat(attempts).hasValue(3);
            assertThat(recloser.breaker("inventory").metrics().bufferedCalls()).isEqualTo(3);
        });
    }

    @Test
    void aUserRegistryWins() {
        runner.withUserConfiguration(UserRegistry.class).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(CircuitBreakerRegistry.class)).isSameAs(UserRegistry.REGISTRY);
            assertThat(ctx.getBean(Recloser.class).registry()).isSameAs(UserRegistry.REGISTRY);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRegistry {
        static final CircuitBreakerRegistry REGISTRY = CircuitBreakerRegistry.of(CircuitBreakerConfig.aggressive());

        @Bean
        CircuitBreakerRegistry myRegistry() {
            return REGISTRY;
        }
    }
}
