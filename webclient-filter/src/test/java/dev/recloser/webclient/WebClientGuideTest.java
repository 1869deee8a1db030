package dev.recloser.webclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.webclient.guide.CatalogHttpClient;
import dev.recloser.webclient.guide.FastFail;
import dev.recloser.webclient.guide.GuideSources;
import dev.recloser.webclient.guide.InventoryClient;
import dev.recloser.webclient.guide.ObservedClient;
import dev.recloser.webclient.guide.RetryingFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

/**
 * The code of docs/webclient.md, run against a real local server; the guide shows these files of
 * {@code dev.recloser.webclient.guide} verbatim, imports included ({@link GuideSources}).
 */
class WebClientGuideTest {

    private final TestServer server = TestServer.start();
    private final java.util.List<reactor.netty.resources.ConnectionProvider> pools = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        server.close();
        pools.forEach(p -> p.disposeLater().block(TestClients.IO_TIMEOUT));
    }

    private reactor.netty.resources.ConnectionProvider pool(String name) {
        reactor.netty.resources.ConnectionProvider p = TestClients.pool(name);
        pools.add(p);
        return p;
    }

    @Test
    void theRetryingFilterRetriesAndPublishesItsRetries() {
        server.script(r -> r.index() == 1 ? TestServer.unavailable(0) : TestServer.ok());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        WebClient client = TestClients.client(pool("guide-retry"), RetryingFilter.create(meters));

        assertThat(TestClients.statusNow(client, server.url("/"))).isEqualTo(200);
        assertThat(meters.get("recloser.retry.calls").tag("kind", "successful_with_retry").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void fastFailAsAnErrorHasAFallbackAndAsAResponseA503() {
        server.behave(TestServer.status(503));
        WebClient errors = TestClients.client(pool("guide-ff"), ResilienceFilter.builder()
                .breakerConfig(CircuitBreakerConfig.builder().consecutiveFailureThreshold(1).build()).build());
        StepVerifier.create(FastFail.get(errors, server.url("/"))).expectError().verify(TestClients.IO_TIMEOUT);
        StepVerifier.create(FastFail.get(errors, server.url("/")))
                .assertNext(s -> assertThat(s).startsWith("try again in "))
                .verifyComplete();

        WebClient responses = TestClients.client(pool("guide-503"), FastFail.syntheticResponses());
        assertThat(TestClients.statusNow(responses, server.url("/"))).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.value());
    }

    @Test
    void theCatalogClientUsesItsOwnPool() {
        server.behave(TestServer.ok());
        CatalogHttpClient catalog = new CatalogHttpClient();
        try {
            WebClient client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(catalog.http)).build();
            assertThat(TestClients.statusNow(client, server.url("/"))).isEqualTo(200);
            assertThat(catalog.pool.maxConnections()).isEqualTo(50);
        } finally {
            catalog.pool.disposeLater().block(Duration.ofSeconds(5));
        }
    }

    @Test
    void theObservedClientMakesObservations() {
        server.behave(TestServer.ok());
        ObservationRegistry observations = ObservationRegistry.create();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        observations.observationConfig().observationHandler(
                new io.micrometer.core.instrument.observation.DefaultMeterObservationHandler(meters));
        WebClient client = ObservedClient.create(observations);
        assertThat(TestClients.statusNow(client, server.url("/"))).isEqualTo(200);
        assertThat(meters.get("http.client.requests").tag("outcome", "SUCCESS").timer().count()).isEqualTo(1);
    }

    @Test
    void theGuideShowsExactlyTheseSources() throws IOException {
        GuideSources.assertShown(Path.of("../docs/webclient.md"), "InventoryClient.java", "RetryingFilter.java",
                "FastFail.java", "CatalogHttpClient.java", "ObservedClient.java");
        assertThat(InventoryClient.class.getPackageName()).isEqualTo("dev.recloser.webclient.guide");
    }
}
