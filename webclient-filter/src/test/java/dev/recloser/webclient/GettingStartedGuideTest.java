package dev.recloser.webclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.webclient.guide.GuardedInventory;
import dev.recloser.webclient.guide.GuideSources;
import dev.recloser.webclient.guide.InventoryClient;
import dev.recloser.webclient.guide.Observability;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

/**
 * The code of docs/getting-started.md, run against a real local server. The guide shows whole
 * files of {@code dev.recloser.webclient.guide}, imports included, which Maven compiles; this test
 * checks the guide shows them verbatim ({@link GuideSources}).
 */
class GettingStartedGuideTest {

    private final TestServer server = TestServer.start().behave(TestServer.ok()
            .body("{\"id\":\"42\",\"quantity\":3}")
            .header("Content-Type", "application/json"));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aGuardedMono() {
        WebClient plain = WebClient.create(server.url(""));
        GuardedInventory inventory = new GuardedInventory(
                id -> plain.get().uri("/stock/{id}", id).retrieve().bodyToMono(String.class));

        StepVerifier.create(inventory.stock("42")).expectNext("{\"id\":\"42\",\"quantity\":3}").verifyComplete();
        assertThat(inventory.breaker().metrics().successfulCalls()).isEqualTo(1);
    }

    @Test
    void aFilteredWebClientDecodesJsonWithJackson() {
        try (InventoryClient inventory = new InventoryClient(server.url(""))) {
            StepVerifier.create(inventory.stock("42"))
                    .expectNext(new InventoryClient.Stock("42", 3))
                    .verifyComplete();
            assertThat(inventory.breakers().all()).singleElement().extracting(CircuitBreaker::name)
                    .isEqualTo("http:" + server.hostKey());

            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Observability.bindMetrics(inventory.breakers(), meters);
            assertThat(meters.get("recloser.circuitbreaker.calls").tags("host", server.hostKey(), "kind", "successful")
                    .counters()).isNotEmpty();
        }
    }

    @Test
    void theBreakersOfAFilterWithoutARegistryAreReachable() {
        ExchangeFilterFunction filter = ResilienceFilter.builder().build();
        reactor.netty.resources.ConnectionProvider pool = TestClients.pool("guide");
        WebClient client = TestClients.client(pool, filter);
        TestClients.statusNow(client, server.url("/"));
        pool.disposeLater().block(TestClients.IO_TIMEOUT);

        assertThat(Observability.health(filter)).startsWith("{\"status\":\"HEALTHY\"");
        assertThat(ResilienceFilter.breakersOf(filter).orElseThrow().find("http:" + server.hostKey())).isPresent();
        assertThat(ResilienceFilter.breakersOf((request, next) -> next.exchange(request))).isEmpty();
    }

    @Test
    void theGuideShowsExactlyTheseSources() throws IOException {
        GuideSources.assertShown(Path.of("../docs/getting-started.md"),
                "GuardedInventory.java", "InventoryClient.java", "Observability.java");
    }
}
