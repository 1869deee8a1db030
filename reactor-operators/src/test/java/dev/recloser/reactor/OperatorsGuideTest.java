package dev.recloser.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.Bulkhead;
import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.retry.Backoff;
import dev.recloser.core.retry.Jitter;
import dev.recloser.core.retry.RetryBudget;
import dev.recloser.core.retry.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The snippets of docs/operators.md, compiled and run: if the API changes, this fails before the
 * guide goes stale. Keep each block identical to its copy in the guide.
 */
class OperatorsGuideTest {

    record Stock(String id, int count) {
    }

    static final class Inventory {
        Mono<Stock> get(String id) {
            return Mono.just(new Stock(id, 3));
        }
    }

    static final class Feed {
        Flux<String> stream() {
            return Flux.just("a", "b");
        }
    }

    private final Inventory inventory = new Inventory();
    private final Feed feed = new Feed();

    private Mono<Stock> cached(String id) {
        return Mono.just(new Stock(id, 0));
    }

    @Test
    void guardAMono() {
        // --8<-- [start:breaker]
        CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.balanced());

        Mono<Stock> stock = inventory.get("sku-1")
                .transform(CircuitBreakerOperator.of(breaker))
                .onErrorResume(CallNotPermittedException.class, e -> cached("sku-1"));
        // --8<-- [end:breaker]
        StepVerifier.create(stock).expectNext(new Stock("sku-1", 3)).verifyComplete();
    }

    @Test
    void retryWithBackoffAndBudget() {
        // --8<-- [start:retry]
        RetryPolicy policy = RetryPolicy.builder()
                .maxAttempts(4)
                .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(2))
                        .withJitter(Jitter.equal()))
                .retryOn(e -> e instanceof IOException)
                .maxTotalDuration(Duration.ofSeconds(5))
                .build();
        RetryBudget budget = RetryBudget.of(0.2, 10);   // retries <= 20% of calls + 10/s

        Mono<Stock> stock = inventory.get("sku-1")
                .transform(RetryOperator.<Stock>of(policy).budget(budget));
        // --8<-- [end:retry]
        StepVerifier.create(stock).expectNextCount(1).verifyComplete();
    }

    @Test
    void composeAPipeline() {
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("feed");
        RetryPolicy policy = RetryPolicy.defaults();
        Bulkhead bulkhead = Bulkhead.of("feed", 32);
        // --8<-- [start:pipeline]
        Flux<String> events = feed.stream().transform(Resilience.pipeline()   // outermost first
                .retry(policy)
                .circuitBreaker(breaker)
                .timeout(Duration.ofSeconds(2))
                .build());

        Mono<Stock> standard = inventory.get("sku-1").transform(Resilience.standard()
                .bulkhead(bulkhead)                        // 1. concurrency limit (optional)
                .totalTimeout(Duration.ofSeconds(10))      // 2. total timeout, retries included (optional)
                .retry(policy)                             // 3. retry
                .circuitBreaker(breaker)                   // 4. circuit breaker
                .attemptTimeout(Duration.ofSeconds(2))     // 5. attempt timeout (optional)
                .build());
        // --8<-- [end:pipeline]
        StepVerifier.create(events).expectNext("a", "b").verifyComplete();
        StepVerifier.create(standard).expectNextCount(1).verifyComplete();
        assertThat(bulkhead.availablePermits()).isEqualTo(32);
    }

    @Test
    void cancelAndTimeoutOptions() {
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("stream");
        // --8<-- [start:options]
        Flux<String> ticks = feed.stream()
                .transform(TimeoutOperator.perElement(Duration.ofSeconds(30)))   // a silent stream is a failure
                .transform(CircuitBreakerOperator.<String>of(breaker)
                        .onCancel(CancelOutcome.SUCCESS));                       // take(n) is not a failure
        // --8<-- [end:options]
        StepVerifier.create(ticks.take(1)).expectNext("a").verifyComplete();
        assertThat(breaker.metrics().successfulCalls()).isEqualTo(1);
    }

    @Test
    void theGuideShowsExactlyTheseSnippets() throws java.io.IOException {
        dev.recloser.testing.DocSnippets.assertInSync(java.nio.file.Path.of("../docs/operators.md"),
                java.nio.file.Path.of("src/test/java/dev/recloser/reactor/OperatorsGuideTest.java"));
    }
}
