package dev.recloser.webclient;

import static dev.recloser.webclient.TestClients.IO_TIMEOUT;
import static dev.recloser.webclient.TestClients.counting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.retry.Backoff;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Issue 15: a Recloser filter registered twice on one WebClient (a Spring Boot customizer plus a
 * hand-written {@code .filter(...)}) governs each exchange once: the inner registration passes the
 * request through, so attempts and recorded outcomes are not multiplied.
 */
class DoubleRegistrationTest {

    private TestServer server;
    private ConnectionProvider pool;
    private final AtomicInteger attempts = new AtomicInteger();

    @BeforeEach
    void setUp() {
        server = TestServer.start();
        pool = TestClients.pool("double-registration");
    }

    @AfterEach
    void tearDown() {
        server.close();
        pool.disposeLater().block(IO_TIMEOUT);
    }

    private static ExchangeFilterFunction retrying(CircuitBreakerRegistry registry) {
        return ResilienceFilter.builder()
                .breakers(registry)
                .retry(ResilienceFilter.idempotentRetry().toBuilder().backoff(Backoff.none()).build())
                .build();
    }

    @Test
    void theSameFilterTwiceMakesTheAttemptsOfOne() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        ExchangeFilterFunction filter = retrying(registry);
        server.behave(TestServer.status(503));
        WebClient client = TestClients.client(pool, filter, filter, counting(attempts));

        assertThat(TestClients.statusNow(client, server.url("/"))).isEqualTo(503);

        assertThat(server.requests()).as("3 attempts, not 3 x 3").isEqualTo(3);
        CircuitBreaker breaker = registry.find("http:" + server.hostKey()).orElseThrow();
        assertThat(breaker.metrics().failedCalls()).as("one outcome per attempt").isEqualTo(3);
    }

    @Test
    void twoFiltersOnOneClientLeaveTheExchangeToTheOuterOne() {
        CircuitBreakerRegistry outer = CircuitBreakerRegistry.ofDefaults();
        CircuitBreakerRegistry inner = CircuitBreakerRegistry.ofDefaults();
        server.behave(TestServer.status(503));
        WebClient client = TestClients.client(pool, retrying(outer), retrying(inner), counting(attempts));

        assertThat(TestClients.statusNow(client, server.url("/"))).isEqualTo(503);

        assertThat(server.requests()).isEqualTo(3);
        assertThat(outer.find("http:" + server.hostKey())).isPresent();
        assertThat(inner.all()).as("the inner filter created no breaker").isEmpty();
    }
}
