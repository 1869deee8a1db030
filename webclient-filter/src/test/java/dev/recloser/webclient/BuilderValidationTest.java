package dev.recloser.webclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.recloser.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** Every option of the module's builders rejects an invalid value at the call that sets it, naming both. */
class BuilderValidationTest {

    @Test
    void filterOptionsRejectInvalidValuesNamingOptionAndValue() {
        ResilienceFilter.Builder b = ResilienceFilter.builder();
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxBreakers(0))
                .withMessage("maxBreakers must be >= 1, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> b.attemptTimeout(Duration.ZERO))
                .withMessage("attemptTimeout must be positive, was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> b.attemptTimeout(Duration.ofMillis(-5)))
                .withMessage("attemptTimeout must be positive, was PT-0.005S");
        assertThatIllegalArgumentException().isThrownBy(() -> b.totalTimeout(Duration.ofSeconds(-1)))
                .withMessage("totalTimeout must be positive, was PT-1S");
        assertThatIllegalArgumentException().isThrownBy(() -> b.totalTimeout(Duration.ofSeconds(Long.MAX_VALUE)))
                .withMessageStartingWith("totalTimeout must be at most ~292 years, was PT");
    }

    /** Issue 15: a total timeout shorter than one attempt is rejected at the call that makes it so, in either order. */
    @Test
    void aTotalTimeoutShorterThanTheAttemptTimeoutIsRejectedNamingBoth() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ResilienceFilter.builder().attemptTimeout(Duration.ofSeconds(2))
                        .totalTimeout(Duration.ofSeconds(1)))
                .withMessage("totalTimeout must be >= attemptTimeout (PT2S), was PT1S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ResilienceFilter.builder().totalTimeout(Duration.ofSeconds(1))
                        .attemptTimeout(Duration.ofSeconds(2)))
                .withMessage("attemptTimeout must be <= totalTimeout (PT1S), was PT2S");
        // Equal is fine; so is a total below the default attempt timeout, or with no attempt timeout.
        ResilienceFilter.builder().attemptTimeout(Duration.ofSeconds(1)).totalTimeout(Duration.ofSeconds(1)).build();
        ResilienceFilter.builder().totalTimeout(Duration.ofSeconds(1)).build();
        ResilienceFilter.builder().noAttemptTimeout().totalTimeout(Duration.ofMillis(1)).build();
    }

    @Test
    void filterOptionsRejectNullNamingTheOption() {
        ResilienceFilter.Builder b = ResilienceFilter.builder();
        assertThatNullPointerException().isThrownBy(() -> b.breakers(null)).withMessage("breakers");
        assertThatNullPointerException().isThrownBy(() -> b.breakerConfig(null)).withMessage("breakerConfig");
        assertThatNullPointerException().isThrownBy(() -> b.key(null)).withMessage("key");
        assertThatNullPointerException().isThrownBy(() -> b.failureStatus(null)).withMessage("failureStatus");
        assertThatNullPointerException().isThrownBy(() -> b.retry(null)).withMessage("retry");
        assertThatNullPointerException().isThrownBy(() -> b.retryMethods(null)).withMessage("retryMethods");
        assertThatNullPointerException().isThrownBy(() -> b.retryMethods(new HashSet<>(Arrays.asList(HttpMethod.GET, null))))
                .withMessage("retryMethods element");
        assertThatNullPointerException().isThrownBy(() -> b.retryStatus(null)).withMessage("retryStatus");
        assertThatNullPointerException().isThrownBy(() -> b.retryBudget(null)).withMessage("retryBudget");
        assertThatNullPointerException().isThrownBy(() -> b.attemptTimeout(null)).withMessage("attemptTimeout");
        assertThatNullPointerException().isThrownBy(() -> b.totalTimeout(null)).withMessage("totalTimeout");
        assertThatNullPointerException().isThrownBy(() -> b.scheduler(null)).withMessage("scheduler");
    }

    @Test
    void aRejectedValueLeavesTheBuilderUsable() {
        ResilienceFilter.Builder b = ResilienceFilter.builder().maxBreakers(5);
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxBreakers(-1));
        ResilienceExchangeFilter filter = (ResilienceExchangeFilter) b.build();
        assertThat(filter.breakers().maxBreakers()).isEqualTo(5);
    }

    @Test
    void retryMethodsAreCopied() {
        Set<HttpMethod> methods = new HashSet<>(Set.of(HttpMethod.GET));
        ResilienceFilter.Builder b = ResilienceFilter.builder().retryMethods(methods);
        methods.add(HttpMethod.POST);
        assertThat(b.build().toString()).contains("retryMethods=[GET]");
    }

    @Test
    void theIdempotentRetryPolicyIsASensibleConstant() {
        RetryPolicy p = ResilienceFilter.idempotentRetry();
        assertThat(p).isSameAs(ResilienceFilter.idempotentRetry());
        assertThat(p.maxAttempts()).isEqualTo(3);
        assertThat(p.maxDelayHint()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.waitForOpenBreaker()).isFalse();
        assertThat(ResilienceFilter.IDEMPOTENT_METHODS).containsExactlyInAnyOrder(
                HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);
    }

    @Test
    void nettyClientOptionsRejectInvalidValuesNamingOptionAndValue() {
        ReactorNettyClients d = ReactorNettyClients.defaults();
        assertThatIllegalArgumentException().isThrownBy(() -> d.maxConnections(0))
                .withMessage("maxConnections must be >= 1, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> d.pendingAcquireMaxCount(-1))
                .withMessage("pendingAcquireMaxCount must be >= 1, was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> d.pendingAcquireTimeout(Duration.ZERO))
                .withMessage("pendingAcquireTimeout must be positive, was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> d.maxIdleTime(Duration.ofSeconds(-1)))
                .withMessage("maxIdleTime must be positive, was PT-1S");
        assertThatIllegalArgumentException().isThrownBy(() -> d.maxLifeTime(Duration.ZERO))
                .withMessage("maxLifeTime must be positive, was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> d.evictInBackground(Duration.ZERO))
                .withMessage("evictInBackground must be positive, was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> d.connectTimeout(Duration.ofNanos(10)))
                .withMessage("connectTimeout must be between 1 ms and 2147483647 ms, was PT0.00000001S");
        assertThatIllegalArgumentException().isThrownBy(() -> d.connectTimeout(Duration.ofDays(30)))
                .withMessage("connectTimeout must be between 1 ms and 2147483647 ms, was PT720H");
        assertThatIllegalArgumentException().isThrownBy(() -> d.responseTimeout(Duration.ofSeconds(-3)))
                .withMessage("responseTimeout must be positive, was PT-3S");
        assertThatNullPointerException().isThrownBy(() -> d.connectTimeout(null)).withMessage("connectTimeout");
        assertThatNullPointerException().isThrownBy(() -> d.connectionProvider(null)).withMessage("name");
        assertThatNullPointerException().isThrownBy(() -> d.httpClient(null)).withMessage("pool");
    }
}
