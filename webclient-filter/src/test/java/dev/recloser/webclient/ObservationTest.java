package dev.recloser.webclient;

import static dev.recloser.webclient.TestClients.IO_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.retry.Backoff;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * What Spring's {@code http.client.requests} observation shows for calls through the filter, with
 * a real {@link ObservationRegistry} whose meters go to a {@link SimpleMeterRegistry}: one
 * observation per call (retries inside it), a fast fail as Spring sees it by default, and the
 * distinct outcome that {@link RecloserClientRequestObservationConvention} gives it.
 */
class ObservationTest {

    private TestServer server;
    private ConnectionProvider pool;
    private SimpleMeterRegistry meters;
    private ObservationRegistry observations;
    private final Semaphore stopped = new Semaphore(0);

    @BeforeEach
    void setUp() {
        server = TestServer.start();
        pool = TestClients.pool("observation");
        meters = new SimpleMeterRegistry();
        observations = ObservationRegistry.create();
        // Spring stops the observation in a doFinally, which runs after the call's terminal signal
        // reached the StepVerifier: count the stops so that timers() reads only recorded meters.
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters) {
            @Override
            public void onStop(Observation.Context context) {
                super.onStop(context);
                stopped.release();
            }
        });
    }

    @AfterEach
    void tearDown() {
        server.close();
        pool.disposeLater().block(IO_TIMEOUT);
    }

    private WebClient client(ExchangeFilterFunction filter, ClientRequestObservationConvention convention) {
        WebClient.Builder b = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(ReactorNettyClients.defaults().httpClient(pool)))
                .observationRegistry(observations)
                .filter(filter);
        if (convention != null) {
            b.observationConvention(convention);
        }
        return b.build();
    }

    private static ExchangeFilterFunction tripsAtOnce(boolean fastFailResponse) {
        return ResilienceFilter.builder()
                .breakerConfig(CircuitBreakerConfig.builder().consecutiveFailureThreshold(1).build())
                .fastFailResponse(fastFailResponse)
                .build();
    }

    /** The tags of each {@code http.client.requests} timer, with its count, once {@code calls} observations stopped. */
    private Map<String, Long> timers(int calls) {
        try {
            assertThat(stopped.tryAcquire(calls, IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("%d observations stopped", calls).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Map<String, Long> out = new TreeMap<>();
        for (Meter m : meters.getMeters()) {
            if (m instanceof Timer t && m.getId().getName().equals("http.client.requests")) {
                StringBuilder key = new StringBuilder();
                for (Tag tag : m.getId().getTags()) {
                    if (tag.getKey().equals("outcome") || tag.getKey().equals("status")
                            || tag.getKey().equals("exception")) {
                        key.append(tag.getKey()).append('=').append(tag.getValue()).append(' ');
                    }
                }
                out.put(key.toString().trim(), t.count());
            }
        }
        return out;
    }

    @Test
    void byDefaultAFastFailIsAClientErrorWithTheExceptionAndAnUnknownOutcome() {
        server.behave(TestServer.status(503));
        WebClient client = client(tripsAtOnce(false), null);
        StepVerifier.create(TestClients.status(client, server.url("/"))).expectNext(503).verifyComplete();
        StepVerifier.create(TestClients.status(client, server.url("/")))
                .expectError(CallNotPermittedException.class).verify(IO_TIMEOUT);

        assertThat(timers(2)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "exception=none outcome=SERVER_ERROR status=503", 1L,
                "exception=CallNotPermittedException outcome=UNKNOWN status=CLIENT_ERROR", 1L));
    }

    @Test
    void theRecloserConventionGivesAFastFailItsOwnOutcome() {
        server.behave(TestServer.status(503));
        WebClient client = client(tripsAtOnce(false), new RecloserClientRequestObservationConvention());
        StepVerifier.create(TestClients.status(client, server.url("/"))).expectNext(503).verifyComplete();
        StepVerifier.create(TestClients.status(client, server.url("/")))
                .expectError(CallNotPermittedException.class).verify(IO_TIMEOUT);

        assertThat(timers(2)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "exception=none outcome=SERVER_ERROR status=503", 1L,
                "exception=CallNotPermittedException outcome=CIRCUIT_OPEN status=CLIENT_ERROR", 1L));
    }

    @Test
    void aSyntheticFastFailResponseGetsTheOutcomeToo() {
        server.behave(TestServer.status(503));
        WebClient client = client(tripsAtOnce(true), new RecloserClientRequestObservationConvention());
        StepVerifier.create(TestClients.status(client, server.url("/"))).expectNext(503).verifyComplete();
        StepVerifier.create(TestClients.status(client, server.url("/"))).expectNext(503).verifyComplete();

        assertThat(timers(2)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "exception=none outcome=SERVER_ERROR status=503", 1L,
                "exception=none outcome=CIRCUIT_OPEN status=503", 1L));
    }

    @Test
    void aRetryCutShortByTheOpenBreakerKeepsTheAttemptsStatus() {
        server.behave(TestServer.unavailable(1));
        StepVerifier.create(TestClients.status(client(retryingTripsAtOnce(), null), server.url("/")))
                .expectError(CallNotPermittedException.class).verify(IO_TIMEOUT);
        StepVerifier.create(TestClients.status(client(retryingTripsAtOnce(),
                        new RecloserClientRequestObservationConvention()), server.url("/")))
                .expectError(CallNotPermittedException.class).verify(IO_TIMEOUT);

        assertThat(server.requests()).as("one attempt per call, each cut short").isEqualTo(2);
        assertThat(timers(2)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "exception=CallNotPermittedException outcome=SERVER_ERROR status=503", 1L,
                "exception=CallNotPermittedException outcome=CIRCUIT_OPEN status=503", 1L));
    }

    /** A fresh filter (its own registry) that retries and whose breakers open on one failure. */
    private static ExchangeFilterFunction retryingTripsAtOnce() {
        return ResilienceFilter.builder()
                .breakerConfig(CircuitBreakerConfig.builder().consecutiveFailureThreshold(1).build())
                .retry(ResilienceFilter.idempotentRetry())
                .build();
    }

    @Test
    void aRetriedCallIsOneObservation() {
        server.script(r -> r.index() == 1 ? TestServer.status(503) : TestServer.ok());
        WebClient client = client(ResilienceFilter.builder()
                .retry(ResilienceFilter.idempotentRetry().toBuilder().backoff(Backoff.none()).build())
                .build(), null);
        StepVerifier.create(TestClients.status(client, server.url("/"))).expectNext(200).verifyComplete();

        assertThat(server.requests()).isEqualTo(2);
        assertThat(timers(1)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "exception=none outcome=SUCCESS status=200", 1L));
    }
}
