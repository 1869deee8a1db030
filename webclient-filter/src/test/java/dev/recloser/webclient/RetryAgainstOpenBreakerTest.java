package dev.recloser.webclient;

import static dev.recloser.webclient.TestClients.IO_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * Issue 15: a retry that could only be rejected is not waited for. When a failure leaves the
 * breaker OPEN for longer than the retry would wait ({@code Retry-After} here), the call fails at
 * once with the breaker's {@link CallNotPermittedException}, whether the failure tripped a closed
 * breaker or was a half-open trial that re-opened it. The breaker's clock and the retry's waits
 * are on one virtual clock (the recording scheduler), so no test depends on elapsed time.
 */
class RetryAgainstOpenBreakerTest {

    private TestServer server;
    private ConnectionProvider pool;
    private RecordingScheduler scheduler;
    private CircuitBreakerRegistry registry;

    @BeforeEach
    void setUp() {
        server = TestServer.start();
        pool = TestClients.pool("retry-open-breaker");
        scheduler = new RecordingScheduler();
        registry = CircuitBreakerRegistry.ofDefaults();
    }

    @AfterEach
    void tearDown() {
        server.close();
        pool.disposeLater().block(IO_TIMEOUT);
        scheduler.dispose();
    }

    /** Opens on one failure for {@code openWait}, no growth or jitter, on the scheduler's clock. */
    private CircuitBreakerConfig tripsAtOnce(Duration openWait) {
        return CircuitBreakerConfig.builder()
                .consecutiveFailureThreshold(1)
                .waitDurationInOpenState(openWait)
                .openStateBackoff(1.0, openWait)
                .openStateJitter(0)
                .permittedCallsInHalfOpenState(1)
                .clock(() -> scheduler.now(TimeUnit.NANOSECONDS))
                .build();
    }

    private WebClient client(Duration openWait, RetryPolicy policy) {
        return TestClients.client(pool, ResilienceFilter.builder()
                .breakers(registry)
                .breakerConfig(tripsAtOnce(openWait))
                .retry(policy)
                .noAttemptTimeout()
                .scheduler(() -> scheduler)
                .build());
    }

    private CircuitBreaker breaker() {
        return registry.find("http:" + server.hostKey()).orElseThrow();
    }

    @Test
    void aFailureThatOpensTheBreakerForLongerThanRetryAfterFailsAtOnce() {
        server.behave(TestServer.unavailable(1));
        WebClient client = client(Duration.ofSeconds(10), ResilienceFilter.idempotentRetry());

        StepVerifier.create(TestClients.status(client, server.url("/")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(CallNotPermittedException.class)
                        .hasMessageContaining("http:" + server.hostKey()))
                .verify(IO_TIMEOUT);
        assertThat(scheduler.hasPendingDelay()).as("no wait for a retry that the breaker would reject").isFalse();
        assertThat(server.requests()).isEqualTo(1);
        assertThat(breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aFailedHalfOpenTrialFailsAtOnceInsteadOfWaitingOutRetryAfter() {
        server.behave(TestServer.unavailable(1));
        WebClient client = client(Duration.ofSeconds(10), ResilienceFilter.idempotentRetry());
        StepVerifier.create(TestClients.status(client, server.url("/")))
                .expectError(CallNotPermittedException.class).verify(IO_TIMEOUT);

        scheduler.advanceBy(Duration.ofSeconds(10)); // the open wait is over: the next call is the trial
        StepVerifier.create(TestClients.status(client, server.url("/")))
                .expectErrorSatisfies(e -> assertThat(((CallNotPermittedException) e).retryAfter())
                        .isEqualTo(Duration.ofSeconds(10)))
                .verify(IO_TIMEOUT);
        assertThat(scheduler.hasPendingDelay()).isFalse();
        assertThat(server.requests()).as("the trial, and no retry").isEqualTo(2);
        assertThat(breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aBreakerOpenForLessThanTheDelayIsWaitedForAndTheRetryIsItsTrial() throws Exception {
        server.script(r -> r.index() == 1 ? TestServer.unavailable(2) : TestServer.ok());
        WebClient client = client(Duration.ofSeconds(1), ResilienceFilter.idempotentRetry());

        CompletableFuture<Integer> result = TestClients.status(client, server.url("/")).toFuture();
        assertThat(scheduler.nextDelay(IO_TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
        scheduler.advanceBy(Duration.ofSeconds(2));
        assertThat(result.get(IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(200);
        assertThat(breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aPolicyThatWaitsForOpenBreakersStillWaits() {
        server.behave(TestServer.unavailable(1));
        RetryPolicy waits = ResilienceFilter.idempotentRetry().toBuilder().waitForOpenBreaker(true).build();
        WebClient client = client(Duration.ofSeconds(10), waits);

        TestClients.status(client, server.url("/")).subscribe();
        assertThat(scheduler.nextDelay(IO_TIMEOUT)).as("Retry-After, then the breaker's wait")
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theLastAttemptKeepsItsResponse() {
        server.behave(TestServer.unavailable(1));
        RetryPolicy once = ResilienceFilter.idempotentRetry().toBuilder().maxAttempts(1).build();
        WebClient client = client(Duration.ofSeconds(10), once);
        StepVerifier.create(TestClients.status(client, server.url("/"))).expectNext(503).verifyComplete();
    }
}
