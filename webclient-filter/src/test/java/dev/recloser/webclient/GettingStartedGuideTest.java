package dev.recloser.webclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.testing.DocSnippets;
import dev.recloser.core.metrics.CircuitBreakerMeterBinder;
import dev.recloser.core.retry.RetryPolicy;
import dev.recloser.reactor.Resilience;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * The snippets of docs/getting-started.md, compiled and run against a real local server, and
 * checked to appear verbatim in the guide.
 */
class GettingStartedGuideTest {

    private final TestServer server = TestServer.start().behave(TestServer.ok().body("{\"stock\":3}")
            .header("Content-Type", "application/json"));
    private ConnectionProvider pool;

    @AfterEach
    void stop() {
        server.close();
        if (pool != null) {
            pool.disposeLater().block(Duration.ofSeconds(5));
        }
    }

    private Mono<String> callInventory(String id) {
        return WebClient.create(server.url("")).get().uri("/stock/{id}", id).retrieve().bodyToMono(String.class);
    }

    private Mono<String> cached(String id) {
        return Mono.just("{\"stock\":0}");
    }

    @Test
    void aGuardedMono() {
        String id = "42";
        // --8<-- [start:mono]
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.balanced());
        CircuitBreaker breaker = registry.breaker("inventory");

        Mono<String> stock = callInventory(id)
                .transform(Resilience.standard(
                        null,                                   // no bulkhead
                        Duration.ofSeconds(5),                  // total timeout
                        RetryPolicy.defaults(),                 // 3 attempts, exponential backoff
                        breaker,
                        Duration.ofSeconds(1))                  // attempt timeout
                        .build())
                .onErrorResume(CallNotPermittedException.class, e -> cached(id));
        // --8<-- [end:mono]
        StepVerifier.create(stock).expectNext("{\"stock\":3}").verifyComplete();
        assertThat(breaker.metrics().successfulCalls()).isEqualTo(1);
    }

    @Test
    void aFilteredWebClient() {
        String baseUrl = server.url("");
        String id = "42";
        // --8<-- [start:webclient]
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        ReactorNettyClients settings = ReactorNettyClients.defaults();
        ConnectionProvider pool = settings.connectionProvider("inventory");   // dispose at shutdown

        WebClient client = WebClient.builder()
                .baseUrl(baseUrl)
                .clientConnector(new ReactorClientHttpConnector(settings.httpClient(pool)))
                .filter(ResilienceFilter.builder()
                        .breakers(registry)                          // one breaker per host:port
                        .retry(ResilienceFilter.idempotentRetry())   // GET, PUT, DELETE...; honours Retry-After
                        .attemptTimeout(Duration.ofSeconds(2))
                        .totalTimeout(Duration.ofSeconds(5))
                        .build())
                .build();

        Mono<String> stock = client.get().uri("/stock/{id}", id)
                .retrieve()
                .bodyToMono(String.class)
                .onErrorResume(CallNotPermittedException.class, e -> cached(id));
        // --8<-- [end:webclient]
        this.pool = pool;
        StepVerifier.create(stock).expectNext("{\"stock\":3}").verifyComplete();
        assertThat(registry.all()).singleElement().extracting(CircuitBreaker::name)
                .isEqualTo("http:" + server.hostKey());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CircuitBreakerMeterBinder.of(registry)
                .withTags(b -> io.micrometer.core.instrument.Tags.of("host", ResilienceFilter.keyOf(b).orElse("none")))
                .bindTo(meters);
        assertThat(meters.get("recloser.circuitbreaker.calls").tags("host", server.hostKey(), "kind", "successful")
                .counters()).isNotEmpty();
        assertThat(ResilienceFilter.keyOf(CircuitBreaker.ofDefaults("other"))).isEmpty();
    }

    @Test
    void metricsAndHealth() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        registry.breaker("inventory").onError(registry.breaker("inventory").tryAcquirePermit(), 1, new IOException());
        // --8<-- [start:observe]
        SimpleMeterRegistry meters = new SimpleMeterRegistry();          // or your application's registry
        CircuitBreakerMeterBinder.of(registry).bindTo(meters);           // breakers created later included

        String health = registry.health().toJson();                    // {"status":"HEALTHY","states":{...},...}
        // --8<-- [end:observe]
        assertThat(meters.find("recloser.circuitbreaker.calls").tag("kind", "failed").counters()).isNotEmpty();
        assertThat(health).startsWith("{\"status\":\"HEALTHY\"");
    }

    @Test
    void theGuideShowsExactlyTheseSnippets() throws IOException {
        DocSnippets.assertInSync(Path.of("../docs/getting-started.md"),
                Path.of("src/test/java/dev/recloser/webclient/GettingStartedGuideTest.java"));
    }
}
