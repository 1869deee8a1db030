package dev.recloser.webclient;

import static dev.recloser.webclient.TestClients.IO_TIMEOUT;
import static dev.recloser.webclient.TestClients.client;
import static dev.recloser.webclient.TestClients.counting;
import static dev.recloser.webclient.TestClients.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.retry.Backoff;
import dev.recloser.core.retry.RetryBudget;
import dev.recloser.core.retry.RetryExhaustedException;
import dev.recloser.core.metrics.RetryMeterBinder;
import dev.recloser.core.retry.RetryPolicy;
import dev.recloser.reactor.AttemptTimeoutException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * Retries through the filter against a real server: which responses and errors are retried, for
 * which methods, and how long the retry waits when the server says {@code Retry-After}. The waits
 * run on a recording virtual-time scheduler: a test sees the delay the policy computed and moves
 * the clock itself, so nothing here depends on real elapsed time.
 */
class ResilienceFilterRetryTest {

    private static final RetryPolicy NO_WAIT = ResilienceFilter.idempotentRetry().toBuilder()
            .backoff(Backoff.none())
            .build();

    private TestServer server;
    private ConnectionProvider pool;
    private RecordingScheduler scheduler;
    private final AtomicInteger attempts = new AtomicInteger();

    @BeforeEach
    void setUp() {
        server = TestServer.start();
        pool = TestClients.pool("retry-test");
        scheduler = new RecordingScheduler();
    }

    @AfterEach
    void tearDown() {
        server.close();
        pool.disposeLater().block(IO_TIMEOUT);
        scheduler.dispose();
    }

    private WebClient client(ExchangeFilterFunction filter) {
        return TestClients.client(pool, filter, counting(attempts));
    }

    private ResilienceFilter.Builder filter(RetryPolicy policy) {
        // No attempt timeout unless a test sets one: the recording scheduler should see only retry waits.
        return ResilienceFilter.builder().retry(policy).noAttemptTimeout().scheduler(() -> scheduler);
    }

    private Mono<Integer> call(WebClient client, HttpMethod method) {
        return client.method(method).uri(server.url("/r"))
                .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {429, 503})
    void retryAfterInSecondsIsTheDelayOfTheRetry(int status) throws Exception {
        server.script(r -> r.index() == 1
                ? TestServer.status(status).header("Retry-After", "1")
                : TestServer.ok());
        WebClient client = client(filter(ResilienceFilter.idempotentRetry()).build());

        CompletableFuture<Integer> result = call(client, HttpMethod.GET).toFuture();
        assertThat(scheduler.nextDelay(IO_TIMEOUT)).isEqualTo(Duration.ofSeconds(1));
        assertThat(attempts).hasValue(1);

        scheduler.advanceBy(Duration.ofMillis(999));
        assertThat(attempts).as("nothing before 1 s").hasValue(1);
        scheduler.advanceBy(Duration.ofMillis(1));
        server.awaitRequests(2, IO_TIMEOUT); // the retry, started by the timer at 1 s

        assertThat(result.get(IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(200);
        assertThat(server.requests()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {429, 503})
    void retryAfterAsAnHttpDateCountsFromTheResponsesDateHeader(int status) throws Exception {
        Instant serverNow = Instant.parse("2030-01-01T00:00:00Z"); // far from our clock: skew cancels out
        server.script(r -> r.index() == 1
                ? TestServer.unavailableUntil(serverNow, Duration.ofSeconds(2)).withStatus(status)
                : TestServer.ok());
        WebClient client = client(filter(ResilienceFilter.idempotentRetry()).build());

        CompletableFuture<Integer> result = call(client, HttpMethod.GET).toFuture();
        assertThat(scheduler.nextDelay(IO_TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
        scheduler.advanceBy(Duration.ofMillis(1999));
        assertThat(attempts).as("nothing before 2 s").hasValue(1);
        scheduler.advanceBy(Duration.ofMillis(1));
        server.awaitRequests(2, IO_TIMEOUT); // the retry, started by the timer at 2 s
        assertThat(result.get(IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(200);
    }

    @Test
    void retryAfterIsCappedByThePolicysMaxDelayHint() throws Exception {
        server.script(r -> r.index() == 1 ? TestServer.unavailable(3600) : TestServer.ok());
        RetryPolicy policy = ResilienceFilter.idempotentRetry().toBuilder().maxDelayHint(Duration.ofSeconds(5)).build();
        WebClient client = client(filter(policy).build());

        CompletableFuture<Integer> result = call(client, HttpMethod.GET).toFuture();
        assertThat(scheduler.nextDelay(IO_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
        scheduler.advanceBy(Duration.ofSeconds(5));
        assertThat(result.get(IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(200);
    }

    @Test
    void withoutRetryAfterTheBackoffDecidesTheDelay() throws Exception {
        server.script(r -> r.index() == 1 ? TestServer.status(502) : TestServer.ok());
        RetryPolicy policy = ResilienceFilter.idempotentRetry().toBuilder()
                .backoff(Backoff.fixed(Duration.ofMillis(300)))
                .build();
        WebClient client = client(filter(policy).build());

        CompletableFuture<Integer> result = call(client, HttpMethod.GET).toFuture();
        assertThat(scheduler.nextDelay(IO_TIMEOUT)).isEqualTo(Duration.ofMillis(300));
        scheduler.advanceBy(Duration.ofMillis(300));
        assertThat(result.get(IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(200);
    }

    @Test
    void postIsNotRetriedByDefault() {
        server.behave(TestServer.unavailable(1));
        WebClient client = client(filter(ResilienceFilter.idempotentRetry()).build());

        StepVerifier.create(call(client, HttpMethod.POST)).expectNext(503).verifyComplete();
        assertThat(attempts).hasValue(1);
        assertThat(server.requests()).isEqualTo(1);
        assertThat(scheduler.hasPendingDelay()).as("no retry was scheduled").isFalse();
    }

    @Test
    void postIsRetriedWhenConfigured() throws Exception {
        server.script(r -> r.index() == 1 ? TestServer.unavailable(1) : TestServer.ok());
        WebClient client = client(filter(ResilienceFilter.idempotentRetry())
                .retryMethods(Set.of(HttpMethod.GET, HttpMethod.POST))
                .build());

        CompletableFuture<Integer> result = call(client, HttpMethod.POST).toFuture();
        assertThat(scheduler.nextDelay(IO_TIMEOUT)).isEqualTo(Duration.ofSeconds(1));
        scheduler.advanceBy(Duration.ofSeconds(1));
        assertThat(result.get(IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(200);
        assertThat(server.requests()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {408, 429, 502, 503, 504})
    void retryStatusesAreRetried(int status) {
        server.script(r -> r.index() == 1 ? TestServer.status(status) : TestServer.ok());
        WebClient client = client(filter(NO_WAIT).build());
        StepVerifier.create(call(client, HttpMethod.GET)).expectNext(200).expectComplete().verify(IO_TIMEOUT);
        assertThat(server.requests()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {400, 404, 500, 501})
    void otherStatusesAreNotRetried(int status) {
        server.behave(TestServer.status(status));
        WebClient client = client(filter(NO_WAIT).build());
        StepVerifier.create(call(client, HttpMethod.GET)).expectNext(status).expectComplete().verify(IO_TIMEOUT);
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void whenRetriesRunOutTheCallerGetsTheLastResponseWithItsBody() {
        server.script(r -> TestServer.status(503).body("attempt " + r.index()));
        WebClient client = client(filter(NO_WAIT).build());
        StepVerifier.create(client.get().uri(server.url("/")).exchangeToMono(r -> r.bodyToMono(String.class)
                        .map(body -> r.statusCode().value() + " " + body)))
                .expectNext("503 attempt 3")
                .expectComplete()
                .verify(IO_TIMEOUT);
        assertThat(server.requests()).isEqualTo(3);
    }

    @Test
    void whenRetriesRunOutOnErrorsTheCallerGetsRetryExhausted() {
        server.stop();
        WebClient client = client(filter(NO_WAIT).build());
        StepVerifier.create(call(client, HttpMethod.GET))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(RetryExhaustedException.class);
                    assertThat(((RetryExhaustedException) e).attempts()).isEqualTo(3);
                    assertThat(e.getCause()).isInstanceOf(WebClientRequestException.class)
                            .hasRootCauseInstanceOf(ConnectException.class);
                })
                .verify(IO_TIMEOUT);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aConnectErrorIsRetriedAndARestartedServerAnswers() throws Exception {
        server.stop();
        RetryPolicy policy = ResilienceFilter.idempotentRetry().toBuilder()
                .backoff(Backoff.fixed(Duration.ofSeconds(1)))
                .build();
        WebClient client = client(filter(policy).build());
        CompletableFuture<Integer> result = call(client, HttpMethod.GET).toFuture();
        assertThat(scheduler.nextDelay(IO_TIMEOUT)).isEqualTo(Duration.ofSeconds(1));
        server.restart();
        scheduler.advanceBy(Duration.ofSeconds(1));
        assertThat(result.get(IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(200);
        assertThat(attempts).hasValue(2);
    }

    @Test
    void anAttemptTimeoutIsRetriedAndEachAttemptGoesThroughTheBreaker() throws Exception {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        server.script(r -> r.index() == 1 ? TestServer.hang() : TestServer.ok());
        RetryPolicy policy = ResilienceFilter.idempotentRetry().toBuilder()
                .backoff(Backoff.fixed(Duration.ofMillis(100)))
                .build();
        WebClient client = client(filter(policy).breakers(registry).attemptTimeout(Duration.ofSeconds(1)).build());

        CompletableFuture<Integer> result = call(client, HttpMethod.GET).toFuture();
        assertThat(scheduler.nextDelay(IO_TIMEOUT)).as("the attempt timeout").isEqualTo(Duration.ofSeconds(1));
        server.awaitRequests(1, IO_TIMEOUT);
        scheduler.advanceBy(Duration.ofSeconds(1));
        assertThat(scheduler.nextDelay(IO_TIMEOUT)).as("the retry's backoff").isEqualTo(Duration.ofMillis(100));
        scheduler.advanceBy(Duration.ofMillis(100));
        assertThat(scheduler.nextDelay(IO_TIMEOUT)).as("the second attempt's timeout").isEqualTo(Duration.ofSeconds(1));
        assertThat(result.get(IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(200);

        CircuitBreaker breaker = registry.find("http:" + server.hostKey()).orElseThrow();
        assertThat(breaker.metrics().bufferedCalls()).as("both attempts recorded").isEqualTo(2);
        assertThat(breaker.metrics().failedCalls()).as("the timeout is a failure").isEqualTo(1);
    }

    @Test
    void theTotalTimeoutBoundsTheWholeCallAndStopsRetryingEarly() {
        server.behave(TestServer.unavailable(3));
        RetryPolicy onVirtualTime = ResilienceFilter.idempotentRetry().toBuilder()
                .clock(() -> scheduler.now(TimeUnit.NANOSECONDS)) // measures maxTotalDuration
                .build();
        WebClient client = client(filter(onVirtualTime).totalTimeout(Duration.ofSeconds(5)).build());
        // Retry-After 3 s fits in 5 s once; the second retry would start after 6 s: the call ends
        // with the last 503 instead of waiting past its total timeout.
        CompletableFuture<Integer> result = call(client, HttpMethod.GET).toFuture();
        assertThat(scheduler.nextDelay(IO_TIMEOUT)).as("the total timeout").isEqualTo(Duration.ofSeconds(5));
        assertThat(scheduler.nextDelay(IO_TIMEOUT)).as("the first Retry-After").isEqualTo(Duration.ofSeconds(3));
        scheduler.advanceBy(Duration.ofSeconds(3));
        StepVerifier.create(Mono.fromFuture(result)).expectNext(503).expectComplete().verify(IO_TIMEOUT);
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void theTotalTimeoutFiresWhileAnAttemptHangs() {
        server.behave(TestServer.hang());
        WebClient client = client(filter(ResilienceFilter.idempotentRetry())
                .totalTimeout(Duration.ofSeconds(5))
                .build());
        StepVerifier.create(call(client, HttpMethod.GET))
                .expectSubscription()
                .then(() -> server.awaitRequests(1, IO_TIMEOUT))
                .then(() -> scheduler.advanceBy(Duration.ofSeconds(5)))
                .expectError(AttemptTimeoutException.class)
                .verify(IO_TIMEOUT);
    }

    @Test
    void anOpenBreakerStopsTheRetries() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        CircuitBreakerConfig tripsAtOnce = CircuitBreakerConfig.builder().consecutiveFailureThreshold(1).build();
        server.behave(TestServer.status(503));
        WebClient client = client(filter(NO_WAIT).breakers(registry).breakerConfig(tripsAtOnce).build());
        StepVerifier.create(call(client, HttpMethod.GET))
                .expectError(CallNotPermittedException.class)
                .verify(IO_TIMEOUT);
        assertThat(server.requests()).as("the first 503 tripped the breaker; the retry was rejected").isEqualTo(1);
    }

    /** Issue 15: the filter's retries reach a RetryListener, so RetryMeterBinder publishes them. */
    @Test
    void theFiltersRetriesArePublishedByARetryMeterBinder() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RetryMeterBinder retryMetrics = RetryMeterBinder.of("inventory");
        retryMetrics.bindTo(meters);
        server.script(r -> r.index() == 1 ? TestServer.status(503) : TestServer.ok());
        WebClient client = client(filter(NO_WAIT).retryListener(retryMetrics).build());

        StepVerifier.create(call(client, HttpMethod.GET)).expectNext(200).expectComplete().verify(IO_TIMEOUT);
        StepVerifier.create(call(client, HttpMethod.POST)).expectNext(200).expectComplete().verify(IO_TIMEOUT);

        assertThat(meters.get("recloser.retry.calls").tag("name", "inventory")
                .tag("kind", "successful_with_retry").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("recloser.retry.attempts").summary().count())
                .as("the POST is not retryable, so not a retried call").isEqualTo(1L);
        assertThat(meters.get("recloser.retry.attempts").summary().totalAmount()).isEqualTo(2.0);
    }

    @Test
    void aRetryBudgetLimitsRetries() {
        server.behave(TestServer.status(503));
        RetryBudget noRetries = RetryBudget.builder().ratio(0.0).minRetriesPerSecond(0).build();
        WebClient client = client(filter(NO_WAIT).retryBudget(noRetries).build());
        StepVerifier.create(call(client, HttpMethod.GET)).expectNext(503).expectComplete().verify(IO_TIMEOUT);
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void aFastFailResponseIsNotRetried() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        CircuitBreakerConfig tripsAtOnce = CircuitBreakerConfig.builder().consecutiveFailureThreshold(1).build();
        server.behave(TestServer.status(503));
        WebClient client = client(filter(NO_WAIT).breakers(registry).breakerConfig(tripsAtOnce)
                .fastFailResponse(true).build());
        StepVerifier.create(client.get().uri(server.url("/")).exchangeToMono(r -> r.releaseBody()
                        .thenReturn(r.statusCode().value() + " " + r.headers().header(ResilienceFilter.FAST_FAIL_HEADER))))
                .expectNext("503 [http:" + server.hostKey() + "]")
                .expectComplete()
                .verify(IO_TIMEOUT);
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void waitingForAnOpenBreakerThatRunsOutBecomesTheSyntheticResponse() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        CircuitBreakerConfig tripsAtOnce = CircuitBreakerConfig.builder().consecutiveFailureThreshold(1).build();
        server.behave(TestServer.status(503));
        RetryPolicy policy = NO_WAIT.toBuilder().maxAttempts(2).waitForOpenBreaker(true).build();
        WebClient client = client(filter(policy).breakers(registry).breakerConfig(tripsAtOnce)
                .fastFailResponse(true).build());
        StepVerifier.create(status(client, server.url("/"))).expectNext(503).expectComplete().verify(IO_TIMEOUT);
        assertThat(server.requests()).isEqualTo(1);
    }
}
