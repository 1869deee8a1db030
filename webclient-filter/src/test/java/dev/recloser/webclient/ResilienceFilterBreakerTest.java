package dev.recloser.webclient;

import static dev.recloser.webclient.TestClients.IO_TIMEOUT;
import static dev.recloser.webclient.TestClients.client;
import static dev.recloser.webclient.TestClients.config;
import static dev.recloser.webclient.TestClients.status;
import static dev.recloser.webclient.TestClients.statusNow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreaker.State;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.reactor.AttemptTimeoutException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.Disposable;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The breaker side of the filter against a real server on loopback: what opens a host's breaker,
 * what it then does to calls, and how it closes again. The breaker's clock and the timeout timers
 * run on a virtual-time scheduler; the HTTP traffic is real.
 */
class ResilienceFilterBreakerTest {

    private TestServer server;
    private ConnectionProvider pool;
    private VirtualTimeScheduler vts;
    private CircuitBreakerRegistry registry;

    @BeforeEach
    void setUp() {
        server = TestServer.start();
        pool = TestClients.pool("breaker-test");
        vts = VirtualTimeScheduler.create();
        registry = CircuitBreakerRegistry.ofDefaults();
    }

    @AfterEach
    void tearDown() {
        server.close();
        pool.disposeLater().block(IO_TIMEOUT);
        vts.dispose();
    }

    private ResilienceFilter.Builder filter() {
        return ResilienceFilter.builder().breakers(registry).breakerConfig(config(vts)).scheduler(() -> vts);
    }

    private CircuitBreaker breakerOf(TestServer s) {
        return registry.find("http:" + s.hostKey()).orElseThrow();
    }

    @Test
    void runOf503sOpensTheHostBreakerWhichFailsFastThenOneProbeClosesIt() {
        WebClient client = client(pool, filter().build());
        server.behave(TestServer.status(503));
        for (int i = 0; i < 5; i++) {
            assertThat(statusNow(client, server.url("/"))).isEqualTo(503);
        }
        CircuitBreaker breaker = breakerOf(server);
        assertThat(breaker.state()).isEqualTo(State.OPEN);

        StepVerifier.create(status(client, server.url("/")))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(CallNotPermittedException.class);
                    assertThat(((CallNotPermittedException) e).retryAfter()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(((CallNotPermittedException) e).breakerName()).isEqualTo("http:" + server.hostKey());
                })
                .verify(IO_TIMEOUT);
        assertThat(server.requests()).as("fast fail never reaches the server").isEqualTo(5);

        vts.advanceTimeBy(Duration.ofSeconds(10));
        server.behave(TestServer.ok());
        assertThat(statusNow(client, server.url("/"))).isEqualTo(200);
        assertThat(server.requests()).as("exactly one probe").isEqualTo(6);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aFailingHostDoesNotOpenTheBreakerOfAnother() {
        try (TestServer healthy = TestServer.start()) {
            WebClient client = client(pool, filter().build());
            server.behave(TestServer.status(500));
            for (int i = 0; i < 5; i++) {
                assertThat(statusNow(client, server.url("/"))).isEqualTo(500);
                assertThat(statusNow(client, healthy.url("/"))).isEqualTo(200);
            }
            assertThat(breakerOf(server).state()).isEqualTo(State.OPEN);
            assertThat(breakerOf(healthy).state()).isEqualTo(State.CLOSED);
            assertThat(breakerOf(healthy).metrics().failedCalls()).isZero();
            assertThat(statusNow(client, healthy.url("/"))).isEqualTo(200);
        }
    }

    @Test
    void aHangingServerTimesOutEachAttemptAndTheTimeoutsOpenTheBreaker() {
        WebClient client = client(pool, filter().attemptTimeout(Duration.ofSeconds(2)).build());
        server.behave(TestServer.hang());
        for (int i = 1; i <= 5; i++) {
            int arrived = i;
            StepVerifier.create(status(client, server.url("/slow")))
                    .expectSubscription()
                    .then(() -> server.awaitRequests(arrived, IO_TIMEOUT)) // the request is on the wire
                    .then(() -> vts.advanceTimeBy(Duration.ofSeconds(2)))
                    .expectError(AttemptTimeoutException.class)
                    .verify(IO_TIMEOUT);
        }
        CircuitBreaker breaker = breakerOf(server);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.metrics().failedCalls()).isEqualTo(5);
        StepVerifier.create(status(client, server.url("/slow")))
                .expectError(CallNotPermittedException.class)
                .verify(IO_TIMEOUT);
        assertThat(server.requests()).isEqualTo(5);
    }

    @Test
    void byDefaultAnAttemptTimesOutAfterTenSeconds() {
        // A client without a response timeout must still see a hanging server as a failure.
        WebClient client = client(pool, filter().build());
        server.behave(TestServer.hang());
        StepVerifier.create(status(client, server.url("/slow")))
                .expectSubscription()
                .then(() -> server.awaitRequests(1, IO_TIMEOUT))
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(9_999)))
                // Virtual timers fire inside advanceTimeBy: nothing may have been recorded yet.
                .then(() -> assertThat(breakerOf(server).metrics().failedCalls()).isZero())
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(1)))
                .expectErrorSatisfies(e -> assertThat(((AttemptTimeoutException) e).timeout())
                        .isEqualTo(ResilienceFilter.DEFAULT_ATTEMPT_TIMEOUT))
                .verify(IO_TIMEOUT);
        assertThat(breakerOf(server).metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void connectionRefusedOpensTheBreakerAndARestartedServerClosesIt() {
        WebClient client = client(pool, filter().build());
        assertThat(statusNow(client, server.url("/"))).isEqualTo(200);
        server.stop();
        for (int i = 0; i < 4; i++) { // 4 failures of 5 calls: 80% >= 50%
            StepVerifier.create(status(client, server.url("/")))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(WebClientRequestException.class)
                            .hasRootCauseInstanceOf(ConnectException.class))
                    .verify(IO_TIMEOUT);
        }
        CircuitBreaker breaker = breakerOf(server);
        assertThat(breaker.state()).isEqualTo(State.OPEN);

        server.restart();
        StepVerifier.create(status(client, server.url("/")))
                .expectError(CallNotPermittedException.class)
                .verify(IO_TIMEOUT);
        vts.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(statusNow(client, server.url("/"))).isEqualTo(200);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void aResetConnectionIsAFailure() {
        WebClient client = client(pool, filter().build());
        server.behave(TestServer.reset());
        for (int i = 0; i < 5; i++) {
            StepVerifier.create(status(client, server.url("/")))
                    .expectError(WebClientRequestException.class)
                    .verify(IO_TIMEOUT);
        }
        assertThat(breakerOf(server).state()).isEqualTo(State.OPEN);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {400, 401, 403, 404, 409, 410, 422})
    void clientErrorsOtherThan408And429NeverOpenTheBreaker(int status) {
        WebClient client = client(pool, filter().build());
        server.behave(TestServer.status(status));
        for (int i = 0; i < 20; i++) {
            assertThat(statusNow(client, server.url("/"))).isEqualTo(status);
        }
        CircuitBreaker breaker = breakerOf(server);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.metrics().failedCalls()).isZero();
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(10);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void failureStatusesOpenTheBreaker(int status) {
        WebClient client = client(pool, filter().build());
        server.behave(TestServer.status(status));
        for (int i = 0; i < 5; i++) {
            assertThat(statusNow(client, server.url("/"))).isEqualTo(status);
        }
        assertThat(breakerOf(server).state()).isEqualTo(State.OPEN);
    }

    @Test
    void aCustomFailureStatusPredicateReplacesTheDefault() {
        WebClient client = client(pool, filter().failureStatus(s -> s == 404).build());
        server.behave(TestServer.status(503));
        for (int i = 0; i < 5; i++) {
            statusNow(client, server.url("/"));
        }
        assertThat(breakerOf(server).state()).isEqualTo(State.CLOSED);
        server.behave(TestServer.status(404));
        for (int i = 0; i < 5; i++) {
            statusNow(client, server.url("/"));
        }
        assertThat(breakerOf(server).state()).isEqualTo(State.OPEN);
    }

    @Test
    void fastFailResponseModeAnswersASynthetic503WithRetryAfterWithoutTouchingTheServer() {
        WebClient client = client(pool, filter().fastFailResponse(true).build());
        server.behave(TestServer.status(503));
        for (int i = 0; i < 5; i++) {
            statusNow(client, server.url("/"));
        }
        assertThat(breakerOf(server).state()).isEqualTo(State.OPEN);

        vts.advanceTimeBy(Duration.ofMillis(2500));
        AtomicReference<HttpHeaders> headers = new AtomicReference<>();
        Integer code = client.get().uri(server.url("/"))
                .exchangeToMono(r -> {
                    headers.set(r.headers().asHttpHeaders());
                    return r.bodyToMono(String.class).defaultIfEmpty("").thenReturn(r.statusCode().value());
                })
                .block(IO_TIMEOUT);
        assertThat(code).isEqualTo(503);
        assertThat(headers.get().getFirst(HttpHeaders.RETRY_AFTER)).as("7.5 s rounded up").isEqualTo("8");
        assertThat(headers.get().getFirst(ResilienceFilter.FAST_FAIL_HEADER)).isEqualTo("http:" + server.hostKey());
        assertThat(server.requests()).isEqualTo(5);
    }

    @Test
    void theSynthetic503KeepsTheRequestForWebClientErrors() {
        WebClient client = client(pool, filter().fastFailResponse(true).build());
        server.behave(TestServer.status(503));
        for (int i = 0; i < 5; i++) {
            statusNow(client, server.url("/"));
        }
        StepVerifier.create(client.get().uri(server.url("/x")).retrieve().bodyToMono(String.class))
                .expectErrorSatisfies(e -> assertThat(e)
                        .hasMessageContaining("503")
                        .hasMessageContaining(server.url("/x")))
                .verify(IO_TIMEOUT);
    }

    @Test
    void cancellingAnInFlightProbeReleasesItsPermitSoTheNextCallProbes() {
        WebClient client = client(pool, filter().build());
        server.behave(TestServer.status(503));
        for (int i = 0; i < 5; i++) {
            statusNow(client, server.url("/"));
        }
        CircuitBreaker breaker = breakerOf(server);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        vts.advanceTimeBy(Duration.ofSeconds(10));

        server.behave(TestServer.hang());
        Disposable probe = status(client, server.url("/probe")).subscribe();
        server.awaitRequests(6, IO_TIMEOUT);
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        StepVerifier.create(status(client, server.url("/")))
                .as("the only trial permit is taken")
                .expectError(CallNotPermittedException.class)
                .verify(IO_TIMEOUT);

        probe.dispose();
        server.behave(TestServer.ok());
        assertThat(statusNow(client, server.url("/"))).isEqualTo(200);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(server.requests()).isEqualTo(7);
    }

    @Test
    void theBreakerRecordsTheResponseBeforeTheCallerSeesIt() {
        WebClient client = client(pool, filter().build());
        server.behave(TestServer.status(503));
        AtomicReference<State> seen = new AtomicReference<>();
        for (int i = 0; i < 5; i++) {
            client.get().uri(server.url("/"))
                    .exchangeToMono(r -> {
                        seen.set(breakerOf(server).state());
                        return r.releaseBody();
                    })
                    .block(IO_TIMEOUT);
        }
        assertThat(seen.get()).as("the fifth failure tripped it before the response was handed over")
                .isEqualTo(State.OPEN);
    }

    @Test
    void theResponseOfASuccessfulCallIsTheCallersToRead() {
        WebClient client = client(pool, filter().build());
        server.behave(TestServer.ok().body("hello"));
        String body = client.get().uri(server.url("/")).retrieve().bodyToMono(String.class).block(IO_TIMEOUT);
        assertThat(body).isEqualTo("hello");
        ClientResponse[] kept = new ClientResponse[1];
        String viaExchange = client.get().uri(server.url("/"))
                .exchangeToMono(r -> {
                    kept[0] = r;
                    return r.bodyToMono(String.class);
                })
                .block(IO_TIMEOUT);
        assertThat(viaExchange).isEqualTo("hello");
        assertThat(kept[0].statusCode().value()).isEqualTo(200);
    }
}
