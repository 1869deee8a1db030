package dev.recloser.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An invalid value fails the start-up with the property, the value and the valid range, in the
 * exception and in the failure analysis Spring Boot prints.
 */
class FailureMessagesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RecloserAutoConfiguration.class));

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "recloser.circuitbreaker.instances.inventory.failure-rate-threshold|150|recloser.circuitbreaker.instances.inventory.failure-rate-threshold|(0, 100]",
        "recloser.circuitbreaker.configs.default.minimum-number-of-calls|0|recloser.circuitbreaker.configs.default.minimum-number-of-calls|>= 1",
        "recloser.circuitbreaker.instances.a.minimum-number-of-calls|500|recloser.circuitbreaker.instances.a.minimum-number-of-calls|<= slidingWindow.size (100)",
        "recloser.circuitbreaker.instances.a.sliding-window-size|0|recloser.circuitbreaker.instances.a.sliding-window-size|[1, 1000000]",
        "recloser.circuitbreaker.instances.a.sliding-window-buckets|0|recloser.circuitbreaker.instances.a.sliding-window-buckets|[1, 1000]",
        "recloser.circuitbreaker.instances.a.wait-duration-in-open-state|0s|recloser.circuitbreaker.instances.a.wait-duration-in-open-state|positive",
        "recloser.circuitbreaker.instances.a.open-state-jitter|1.5|recloser.circuitbreaker.instances.a.open-state-jitter|[0, 1)",
        "recloser.circuitbreaker.instances.a.open-state-backoff-multiplier|0.5|recloser.circuitbreaker.instances.a.open-state-backoff-multiplier|[1, 100]",
        "recloser.circuitbreaker.instances.a.max-wait-duration-in-open-state|1s|recloser.circuitbreaker.instances.a.max-wait-duration-in-open-state|>= waitDurationInOpenState",
        "recloser.circuitbreaker.instances.a.base-config|missing|recloser.circuitbreaker.instances.a.base-config|no such config",
        "recloser.retry.instances.r.max-attempts|0|recloser.retry.instances.r.max-attempts|maxAttempts",
        "recloser.retry.instances.r.multiplier|0.5|recloser.retry.instances.r.multiplier|>= 1.0",
        "recloser.bulkhead.instances.b.max-concurrent-calls|0|recloser.bulkhead.instances.b.max-concurrent-calls|0",
        "recloser.webclient.max-breakers|0|recloser.webclient.max-breakers|>= 1",
        "recloser.webclient.attempt-timeout|-1s|recloser.webclient.attempt-timeout|positive",
        "recloser.webclient.retry|nonesuch|recloser.webclient.retry|no such retry policy",
        "recloser.webclient.circuit-breaker-config|nonesuch|recloser.webclient.circuit-breaker-config|no such config",
        "recloser.events.capacity|0|recloser.events.capacity|[1, 10000]",
    })
    void invalidValueNamesPropertyValueAndRange(String property, String value, String reported, String range) {
        runner.withPropertyValues(property + "=" + value).run(ctx -> {
            assertThat(ctx).hasFailed();
            Throwable failure = ctx.getStartupFailure();
            RecloserConfigurationException e = find(failure);
            assertThat(e).as("cause of %s", failure).isNotNull();
            assertThat(e.property()).isEqualTo(reported);
            assertThat(e.getMessage()).contains(reported).contains(range);
            FailureAnalysis analysis = new RecloserFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("Property: " + reported).contains(range);
            assertThat(analysis.getAction()).contains(reported);
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "min-limit|0|recloser.webclient.concurrency-limit.min-limit|>= 1",
        "initial-limit|5000|recloser.webclient.concurrency-limit.initial-limit|5000",
        "max-limit|8|recloser.webclient.concurrency-limit.max-limit|minLimit (20) must be <= maxLimit (8)",
        "min-samples|0|recloser.webclient.concurrency-limit.min-samples|>= 1",
        "min-window|0s|recloser.webclient.concurrency-limit.min-window|positive",
    })
    void invalidConcurrencyLimitNamesTheProperty(String option, String value, String reported, String range) {
        runner.withPropertyValues("recloser.webclient.concurrency-limit.enabled=true",
                "recloser.webclient.concurrency-limit.algorithm=aimd",
                "recloser.webclient.concurrency-limit." + option + "=" + value).run(ctx -> {
            RecloserConfigurationException e = find(ctx.getStartupFailure());
            assertThat(e).isNotNull();
            assertThat(e.property()).isEqualTo(reported);
            assertThat(e.getMessage()).contains(range);
        });
    }

    @Test
    void inheritanceCycleIsNamed() {
        runner.withPropertyValues("recloser.circuitbreaker.configs.a.base-config=b",
                "recloser.circuitbreaker.configs.b.base-config=a").run(ctx -> {
            RecloserConfigurationException e = find(ctx.getStartupFailure());
            assertThat(e.getMessage()).contains("cycle").contains("a -> b -> a");
        });
    }

    @Test
    void presetAndBaseConfigAreExclusive() {
        runner.withPropertyValues("recloser.circuitbreaker.configs.a.preset=aggressive",
                "recloser.circuitbreaker.instances.x.base-config=a",
                "recloser.circuitbreaker.instances.x.preset=balanced").run(ctx -> {
            RecloserConfigurationException e = find(ctx.getStartupFailure());
            assertThat(e.property()).isEqualTo("recloser.circuitbreaker.instances.x.preset");
            assertThat(e.getMessage()).contains("exclusive");
        });
    }

    @Test
    void analyzerIsRegisteredWithSpringBoot() throws java.io.IOException {
        boolean found = false;
        for (java.net.URL url : java.util.Collections.list(
                getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
            java.util.Properties p = new java.util.Properties();
            try (java.io.InputStream in = url.openStream()) {
                p.load(in);
            }
            found |= p.getProperty("org.springframework.boot.diagnostics.FailureAnalyzer", "")
                    .contains(RecloserFailureAnalyzer.class.getName());
        }
        assertThat(found).as("RecloserFailureAnalyzer in a META-INF/spring.factories").isTrue();
    }

    private static RecloserConfigurationException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RecloserConfigurationException r) {
                return r;
            }
        }
        return null;
    }
}
