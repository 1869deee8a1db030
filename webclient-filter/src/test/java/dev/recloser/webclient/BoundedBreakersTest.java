package dev.recloser.webclient;

import static dev.recloser.webclient.TestClients.IO_TIMEOUT;
import static dev.recloser.webclient.TestClients.client;
import static dev.recloser.webclient.TestClients.statusNow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreaker.State;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A filter that meets more distinct keys than {@code maxBreakers} (a crawler) keeps its breakers at
 * the bound, evicting idle CLOSED ones only. Keys come from the first path segment, so one server
 * stands in for many hosts.
 */
class BoundedBreakersTest {

    private TestServer server;
    private ConnectionProvider pool;
    private CircuitBreakerRegistry registry;
    private ResilienceExchangeFilter filter;
    private WebClient client;

    @BeforeEach
    void setUp() {
        server = TestServer.start();
        server.script(r -> r.path().startsWith("down") ? TestServer.status(503) : TestServer.ok());
        pool = TestClients.pool("bounded-test");
        registry = CircuitBreakerRegistry.ofDefaults();
        filter = (ResilienceExchangeFilter) ResilienceFilter.builder()
                .breakers(registry)
                .breakerConfig(CircuitBreakerConfig.builder().consecutiveFailureThreshold(2).build())
                .key(KeyStrategy.of(r -> r.url().getPath().substring(1)))
                .maxBreakers(3)
                .build();
        client = client(pool, filter);
    }

    @AfterEach
    void tearDown() {
        server.close();
        pool.disposeLater().block(IO_TIMEOUT);
    }

    private List<String> registered() {
        List<String> names = new ArrayList<>();
        for (CircuitBreaker b : registry.all()) {
            names.add(b.name());
        }
        return names;
    }

    @Test
    void moreKeysThanTheBoundKeepTheCountAtTheBoundAndTheOpenBreakers() {
        for (String down : List.of("down1", "down2")) {
            statusNow(client, server.url("/" + down));
            statusNow(client, server.url("/" + down));
            assertThat(filter.breakers().find(down).state()).isEqualTo(State.OPEN);
        }
        for (int i = 0; i < 25; i++) {
            assertThat(statusNow(client, server.url("/up" + i))).isEqualTo(200);
            assertThat(filter.breakers().size()).isLessThanOrEqualTo(3);
            assertThat(registry.all()).hasSizeLessThanOrEqualTo(3);
        }
        assertThat(filter.breakers().size()).isEqualTo(3);
        assertThat(registered()).containsExactlyInAnyOrder("http:down1", "http:down2", "http:up24");
        assertThat(filter.breakers().find("down1").state()).isEqualTo(State.OPEN);
        assertThat(filter.breakers().find("down2").state()).isEqualTo(State.OPEN);
    }

    @Test
    void whenEveryBreakerIsOpenANewKeyIsServedWithoutOne() {
        ResilienceExchangeFilter small = (ResilienceExchangeFilter) ResilienceFilter.builder()
                .breakers(registry)
                .breakerConfig(CircuitBreakerConfig.builder().consecutiveFailureThreshold(2).build())
                .key(KeyStrategy.of(r -> r.url().getPath().substring(1)))
                .maxBreakers(2)
                .build();
        WebClient c = client(pool, small);
        for (String down : List.of("down1", "down2")) {
            statusNow(c, server.url("/" + down));
            statusNow(c, server.url("/" + down));
        }
        int before = server.requests();
        assertThat(statusNow(c, server.url("/elsewhere"))).isEqualTo(200);
        assertThat(server.requests()).isEqualTo(before + 1);
        assertThat(small.breakers().size()).isEqualTo(2);
        assertThat(registered()).containsExactlyInAnyOrder("http:down1", "http:down2");
    }
}
