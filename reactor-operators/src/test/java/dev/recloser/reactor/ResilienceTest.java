package dev.recloser.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recloser.core.Bulkhead;
import dev.recloser.core.BulkheadFullException;
import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.retry.Backoff;
import dev.recloser.core.retry.RetryExhaustedException;
import dev.recloser.core.retry.RetryPolicy;
import dev.recloser.core.SlidingWindow;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ResilienceTest {

    private final VirtualTimeScheduler vts = VirtualTimeScheduler.create();

    private CircuitBreaker breaker(int window) {
        return CircuitBreaker.of("p", CircuitBreakerConfig.builder().clock(() -> vts.now(TimeUnit.NANOSECONDS))
                .slidingWindow(SlidingWindow.countBased(window)).minimumNumberOfCalls(window).build());
    }

    private RetryPolicy policy(int attempts) {
        return RetryPolicy.builder().maxAttempts(attempts).backoff(Backoff.fixed(Duration.ofSeconds(1)))
                .clock(() -> vts.now(TimeUnit.NANOSECONDS)).build();
    }

    @Test
    void eachRetryAttemptGoesThroughTheBreakerAndIsBoundedByTheAttemptTimeout() {
        CircuitBreaker b = breaker(10);
        AtomicInteger subscriptions = new AtomicInteger();
        Mono<String> hanging = Mono.<String>never().doOnSubscribe(s -> subscriptions.incrementAndGet());
        StepVerifier.withVirtualTime(() -> hanging.transform(Resilience.pipeline()
                                .retry(policy(3)).circuitBreaker(b).timeout(Duration.ofSeconds(2))
                                .scheduler(() -> vts).build()),
                        () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(2 + 1 + 2 + 1 + 2))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(RetryExhaustedException.class);
                    assertThat(((RetryExhaustedException) e).attempts()).isEqualTo(3);
                    assertThat(e.getCause()).isInstanceOf(AttemptTimeoutException.class);
                })
                .verify(Duration.ofSeconds(5));
        assertThat(subscriptions).hasValue(3);
        assertThat(b.metrics().failedCalls()).isEqualTo(3); // every attempt's timeout was recorded
    }

    @Test
    void anOpenBreakerStopsTheRetriesWithoutReachingTheSource() {
        CircuitBreaker b = breaker(2);
        AtomicInteger subscriptions = new AtomicInteger();
        Mono<String> failing = Mono.<String>error(new IOException("down")).doOnSubscribe(s -> subscriptions.incrementAndGet());
        StepVerifier.withVirtualTime(() -> failing.transform(Resilience.pipeline()
                                .retry(policy(5)).circuitBreaker(b).scheduler(() -> vts).build()),
                        () -> vts, Long.MAX_VALUE)
                .thenAwait(Duration.ofSeconds(10))
                // Two failures open the breaker; the third attempt is rejected, and a rejection is
                // not retried by default: it ends the call at once with the breaker's error.
                .expectError(CallNotPermittedException.class)
                .verify(Duration.ofSeconds(5));
        assertThat(subscriptions).hasValue(2);
    }

    @Test
    void standardOrderPutsTheTotalTimeoutAroundTheRetriesAndTheBulkheadOutermost() {
        CircuitBreaker b = breaker(100);
        Bulkhead bulkhead = Bulkhead.of("standard", 1);
        Resilience.Pipeline standard = Resilience.standard()
                .attemptTimeout(Duration.ofSeconds(2))      // named steps: any order, the stages keep theirs
                .circuitBreaker(b)
                .retry(policy(10))
                .totalTimeout(Duration.ofMillis(5_500))
                .bulkhead(bulkhead)
                .scheduler(() -> vts)
                .pipeline();
        StepVerifier.withVirtualTime(() -> Mono.never().transform(standard.build()), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> assertThat(bulkhead.availablePermits()).isZero())
                .thenAwait(Duration.ofMillis(5_500))
                // Attempts time out at 2 s and 5 s, each after its 2 s; the total timeout ends the call
                // at 5.5 s, during the wait before the third attempt.
                .expectErrorSatisfies(e -> assertThat(((AttemptTimeoutException) e).timeout()).isEqualTo(Duration.ofMillis(5_500)))
                .verify(Duration.ofSeconds(5));
        assertThat(b.metrics().failedCalls()).isEqualTo(2);
        assertThat(bulkhead.availablePermits()).isEqualTo(1);

        bulkhead.tryAcquire();
        StepVerifier.create(Mono.just(1).transform(standard.build())).verifyError(BulkheadFullException.class);
        assertThat(b.metrics().bufferedCalls()).isEqualTo(2); // the rejection never reached the breaker
    }

    /** Issue 15: the standard pipeline's named steps check their values and what is required. */
    @Test
    void standardStepsRejectBadValuesAndMissingStages() {
        CircuitBreaker b = breaker(10);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Resilience.standard().attemptTimeout(Duration.ofSeconds(2))
                        .totalTimeout(Duration.ofSeconds(1)))
                .withMessage("totalTimeout must be >= attemptTimeout (PT2S), was PT1S");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Resilience.standard().totalTimeout(Duration.ofSeconds(1))
                        .attemptTimeout(Duration.ofSeconds(2)))
                .withMessage("attemptTimeout must be <= totalTimeout (PT1S), was PT2S");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Resilience.standard().attemptTimeout(Duration.ZERO))
                .withMessage("attemptTimeout must be positive, was PT0S");
        org.assertj.core.api.Assertions.assertThatNullPointerException()
                .isThrownBy(() -> Resilience.standard().retry(null)).withMessage("retry");
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
                .isThrownBy(() -> Resilience.standard().retry(policy(2)).pipeline())
                .withMessageContaining("circuitBreaker is missing");
        assertThat(Resilience.standard().retry(policy(2)).circuitBreaker(b).pipeline().toString())
                .isEqualTo(Resilience.pipeline().retry(policy(2)).circuitBreaker(b).toString());
    }

    @Test
    void pipelinesKeepMonoAndFluxTypesAndAreReusableTemplates() {
        CircuitBreaker b = breaker(10);
        Resilience.Pipeline template = Resilience.pipeline().circuitBreaker(b);
        Mono<Integer> mono = Mono.just(1).transform(template.build());
        Flux<Integer> flux = Flux.just(1, 2).transform(template.timeout(Duration.ofSeconds(1)).build());
        StepVerifier.create(mono).expectNext(1).verifyComplete();
        StepVerifier.create(flux).expectNext(1, 2).verifyComplete();
        assertThat(b.metrics().bufferedCalls()).isEqualTo(2);
        assertThatThrownBy(() -> Resilience.pipeline().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Resilience.pipeline().timeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }
}
