package dev.recloser.webclient;

import static dev.recloser.webclient.TestClients.IO_TIMEOUT;
import static dev.recloser.webclient.TestClients.client;
import static dev.recloser.webclient.TestClients.status;
import static dev.recloser.webclient.TestClients.statusNow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * Issue 15: two filters (two WebClients) that share a registry share one breaker per key, also
 * after one of them evicted it. Keys come from the first path segment, so one real server stands
 * in for the hosts h1 and h2.
 */
class SharedRegistryTest {

    private TestServer server;
    private ConnectionProvider pool;
    private CircuitBreakerRegistry registry;

    @BeforeEach
    void setUp() {
        server = TestServer.start();
        pool = TestClients.pool("shared-registry");
        registry = CircuitBreakerRegistry.ofDefaults();
    }

    @AfterEach
    void tearDown() {
        server.close();
        pool.disposeLater().block(IO_TIMEOUT);
    }

    private ResilienceExchangeFilter filter(int maxBreakers) {
        return (ResilienceExchangeFilter) ResilienceFilter.builder()
                .breakers(registry)
                .breakerConfig(CircuitBreakerConfig.builder().consecutiveFailureThreshold(2).build())
                .key(KeyStrategy.of(r -> r.url().getPath().substring(1)))
                .maxBreakers(maxBreakers)
                .build();
    }

    private CircuitBreaker registered(String key) {
        return registry.find("http:" + key).orElseThrow();
    }

    @Test
    void anEvictionByOneFilterLeavesBothOnTheRegistrysBreaker() {
        ResilienceExchangeFilter small = filter(1);
        ResilienceExchangeFilter large = filter(100);
        WebClient a = client(pool, small);
        WebClient b = client(pool, large);
        server.script(r -> r.path().equals("h1") && r.index() > 3 ? TestServer.status(503) : TestServer.ok());

        assertThat(statusNow(a, server.url("/h1"))).isEqualTo(200); // request 1
        assertThat(statusNow(b, server.url("/h1"))).isEqualTo(200); // request 2
        assertThat(large.breakers().find("h1")).isSameAs(small.breakers().find("h1")).isSameAs(registered("h1"));

        assertThat(statusNow(a, server.url("/h2"))).isEqualTo(200); // request 3: A evicts h1 (CLOSED, idle)
        assertThat(registry.find("http:h1")).isEmpty();
        assertThat(large.breakers().find("h1")).as("B forgot the evicted breaker too").isNull();

        assertThat(statusNow(b, server.url("/h1"))).isEqualTo(503); // requests 4 and 5 trip h1 through B
        assertThat(statusNow(b, server.url("/h1"))).isEqualTo(503);
        assertThat(registered("h1").state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(large.breakers().find("h1")).isSameAs(registered("h1"));

        int before = server.requests();
        StepVerifier.create(status(a, server.url("/h1")))
                .expectError(CallNotPermittedException.class)
                .verify(IO_TIMEOUT);
        assertThat(server.requests()).as("A does not reach h1 while the shared breaker is open").isEqualTo(before);
        assertThat(small.breakers().find("h1")).isSameAs(registered("h1"));
    }

    @Test
    void aBreakerRemovedFromTheRegistryIsForgottenByTheFilter() {
        ResilienceExchangeFilter f = filter(10);
        WebClient c = client(pool, f);
        statusNow(c, server.url("/h1"));
        CircuitBreaker first = registered("h1");

        assertThat(registry.remove("http:h1")).isPresent();
        assertThat(f.breakers().find("h1")).isNull();
        assertThat(f.breakers().size()).isZero();

        statusNow(c, server.url("/h1"));
        assertThat(f.breakers().find("h1")).isSameAs(registered("h1")).isNotSameAs(first);
    }
}
