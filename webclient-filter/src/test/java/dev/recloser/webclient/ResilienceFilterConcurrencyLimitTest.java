package dev.recloser.webclient;

import static dev.recloser.webclient.TestClients.IO_TIMEOUT;
import static dev.recloser.webclient.TestClients.client;
import static dev.recloser.webclient.TestClients.status;
import static dev.recloser.webclient.TestClients.statusNow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.testing.ManualClock;
import dev.recloser.core.limit.AimdLimit;
import dev.recloser.core.limit.ConcurrencyLimitConfig;
import dev.recloser.core.limit.ConcurrencyLimiter;
import dev.recloser.core.limit.LimitExceededException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * The filter's per-key adaptive limit against real servers on loopback. The limiters run on a
 * manual clock (their windows close only when a test moves it); the HTTP traffic is real, and what
 * the server saw is counted by the server.
 */
class ResilienceFilterConcurrencyLimitTest {

    private final ManualClock clock = new ManualClock();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private TestServer server;
    private ConnectionProvider pool;

    @BeforeEach
    void setUp() {
        server = TestServer.start();
        pool = TestClients.pool("limit-test");
    }

    @AfterEach
    void tearDown() {
        server.close();
        pool.disposeLater().block(IO_TIMEOUT);
    }

    /** AIMD from {@code limit}, 1 s windows fed from one sample, every call sampled. */
    private ConcurrencyLimitConfig limit(int limit) {
        return ConcurrencyLimitConfig.builder().clock(clock).minSamples(1).minRttThreshold(Duration.ZERO)
                .algorithm(AimdLimit.builder().initialLimit(limit).minLimit(1).maxLimit(100).build()).build();
    }

    private static ConcurrencyLimiter limiterOf(ExchangeFilterFunction filter, TestServer s) {
        return ((ResilienceExchangeFilter) filter).limiters().find(s.hostKey());
    }

    @Test
    void aRejectedRequestNeverReachesTheServer() {
        server.script(r -> {
            seen.add(r.path());
            return r.path().startsWith("hang") ? TestServer.hang() : TestServer.ok();
        });
        ExchangeFilterFunction filter = ResilienceFilter.builder().concurrencyLimit(limit(2)).noAttemptTimeout().build();
        WebClient client = client(pool, filter);
        Disposable first = status(client, server.url("/hang/1")).subscribe();
        Disposable second = status(client, server.url("/hang/2")).subscribe();
        server.awaitRequests(2, IO_TIMEOUT);
        ConcurrencyLimiter limiter = limiterOf(filter, server);
        assertThat(limiter.inFlight()).isEqualTo(2);

        StepVerifier.create(status(client, server.url("/rejected")))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(LimitExceededException.class);
                    assertThat(((LimitExceededException) e).limiterName()).isEqualTo("http:" + server.hostKey());
                })
                .verify(IO_TIMEOUT);
        first.dispose(); // frees one permit (a cancel: no sample)
        assertThat(limiter.inFlight()).isEqualTo(1);
        assertThat(statusNow(client, server.url("/after"))).isEqualTo(200);
        second.dispose();

        // The server saw the two hanging requests and the one after; the rejected one never arrived.
        assertThat(server.requests()).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrder("hang/1", "hang/2", "after"); // Reactor Netty drops the leading /
        assertThat(limiter.rejectedCalls()).isEqualTo(1);
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void eachHostHasItsOwnLimiter() {
        try (TestServer other = TestServer.start()) {
            server.behave(TestServer.hang());
            ExchangeFilterFunction filter = ResilienceFilter.builder().concurrencyLimit(limit(1)).noAttemptTimeout().build();
            WebClient client = client(pool, filter);
            Disposable hanging = status(client, server.url("/")).subscribe();
            server.awaitRequests(1, IO_TIMEOUT);
            StepVerifier.create(status(client, server.url("/"))).expectError(LimitExceededException.class).verify(IO_TIMEOUT);
            assertThat(statusNow(client, other.url("/"))).isEqualTo(200);
            assertThat(limiterOf(filter, other)).isNotSameAs(limiterOf(filter, server));
            assertThat(limiterOf(filter, other).inFlight()).isZero();
            hanging.dispose();
        }
    }

    @Test
    void a503IsADropThatMakesTheLimitBackOffAndA200LetsItGrow() {
        ExchangeFilterFunction filter = ResilienceFilter.builder().concurrencyLimit(limit(40)).build();
        WebClient client = client(pool, filter);
        server.behave(TestServer.status(503));
        assertThat(statusNow(client, server.url("/"))).isEqualTo(503);
        ConcurrencyLimiter limiter = limiterOf(filter, server);
        clock.advance(Duration.ofSeconds(1));
        server.behave(TestServer.ok());
        assertThat(statusNow(client, server.url("/"))).isEqualTo(200); // closes the window that held the 503
        assertThat(limiter.limit()).isEqualTo(36); // 40 * 0.9

        ExchangeFilterFunction small = ResilienceFilter.builder().concurrencyLimit(limit(2)).build();
        WebClient smallClient = client(pool, small);
        assertThat(statusNow(smallClient, server.url("/"))).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertThat(statusNow(smallClient, server.url("/"))).isEqualTo(200);
        assertThat(limiterOf(small, server).limit()).isEqualTo(3); // in flight 1 of 2 reached half: +1
    }

    @Test
    void theLimitersAreBoundedByMaxBreakersAndAnIdleOneIsEvicted() {
        try (TestServer other = TestServer.start()) {
            ExchangeFilterFunction filter = ResilienceFilter.builder().concurrencyLimit(limit(5)).maxBreakers(1).build();
            WebClient client = client(pool, filter);
            assertThat(statusNow(client, server.url("/"))).isEqualTo(200);
            assertThat(statusNow(client, other.url("/"))).isEqualTo(200);
            LimiterTable table = ((ResilienceExchangeFilter) filter).limiters();
            assertThat(table.size()).isEqualTo(1);
            assertThat(table.find(other.hostKey())).isNotNull();
            assertThat(table.find(server.hostKey())).isNull();
        }
    }

    @Test
    void withEveryLimiterBusyANewKeyRunsWithoutALimitAndTheBoundHolds() {
        try (TestServer other = TestServer.start()) {
            server.behave(TestServer.hang());
            ExchangeFilterFunction filter = ResilienceFilter.builder().concurrencyLimit(limit(5)).maxBreakers(1)
                    .noAttemptTimeout().build();
            WebClient client = client(pool, filter);
            Disposable hanging = status(client, server.url("/")).subscribe();
            server.awaitRequests(1, IO_TIMEOUT);
            assertThat(statusNow(client, other.url("/"))).isEqualTo(200);
            LimiterTable table = ((ResilienceExchangeFilter) filter).limiters();
            assertThat(table.size()).isEqualTo(1);
            assertThat(table.find(other.hostKey())).isNull();
            hanging.dispose();
        }
    }
}
