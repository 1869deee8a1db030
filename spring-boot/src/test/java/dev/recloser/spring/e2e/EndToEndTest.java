package dev.recloser.spring.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The whole starter in a running application (BlockHound installed for the JVM by the module's
 * extension): a WebFlux endpoint calls a real Reactor Netty server on 127.0.0.1 through the injected
 * {@code WebClient.Builder}; the server fails, the breaker opens, calls fail fast without reaching
 * it, the Actuator endpoints, the health and the Prometheus scrape show it, a write operation resets
 * it, the server recovers and the breaker stays closed.
 */
@SpringBootTest(classes = StockApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoints.web.exposure.include=health,circuitbreakers,circuitbreakerevents,prometheus",
            "management.endpoint.health.show-details=always",
            "recloser.circuitbreaker.configs.default.sliding-window-size=4",
            "recloser.circuitbreaker.configs.default.minimum-number-of-calls=4",
            "recloser.circuitbreaker.configs.default.wait-duration-in-open-state=1h",
            "recloser.circuitbreaker.configs.default.max-wait-duration-in-open-state=1h",
            // The transition log line would be written on the event loop: blocking I/O BlockHound reports.
            "recloser.circuitbreaker.configs.default.log-transitions=false",
            "recloser.webclient.retry=none",
        })
class EndToEndTest {

    private static final Duration IO = Duration.ofSeconds(10);
    private static final AtomicInteger STATUS = new AtomicInteger(200);
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static final DisposableServer UPSTREAM = HttpServer.create().host("127.0.0.1").port(0)
            .handle((req, res) -> {
                REQUESTS.incrementAndGet();
                int s = STATUS.get();
                return res.status(s).sendString(Mono.just(s == 200 ? "42" : "down"));
            })
            .bindNow();

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        registry.add("upstream.url", () -> "http://127.0.0.1:" + UPSTREAM.port());
    }

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.disposeNow();
    }

    @LocalServerPort
    int port;

    private WebClient app() {
        return WebClient.create("http://127.0.0.1:" + port);
    }

    private ResponseEntity<String> get(String path) {
        return app().get().uri(path).retrieve().onStatus(s -> true, r -> Mono.empty()).toEntity(String.class).block(IO);
    }

    private Map<String, Object> json(String path) {
        return app().get().uri(path).retrieve().onStatus(s -> true, r -> Mono.empty())
                .bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() { }).block(IO);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> map, String... keys) {
        Map<String, Object> m = map;
        for (String k : keys) {
            m = (Map<String, Object>) m.get(k);
        }
        return m;
    }

    private Map<String, Object> action(String breaker, String action) {
        return app().post().uri("/actuator/circuitbreakers/{name}", breaker)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", action))
                .retrieve().bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() { }).block(IO);
    }

    @Test
    void outageOpensTheBreakerAndActuatorShowsIt() {
        String breaker = "http:127.0.0.1:" + UPSTREAM.port();
        STATUS.set(200);
        assertThat(get("/stock").getBody()).isEqualTo("42");
        action(breaker, "reset"); // the other test may have left outcomes in the window

        STATUS.set(503);
        for (int i = 0; i < 4; i++) {
            ResponseEntity<String> r = get("/stock");
            assertThat(r.getStatusCode().value()).isEqualTo(502);
            assertThat(r.getBody()).isEqualTo("upstream 503");
        }
        int reached = REQUESTS.get();
        ResponseEntity<String> fast = get("/stock");
        assertThat(fast.getStatusCode().value()).isEqualTo(503);
        assertThat(fast.getBody()).isEqualTo("fast-fail");
        assertThat(REQUESTS.get()).as("an open breaker does not call the server").isEqualTo(reached);

        Map<String, Object> view = at(json("/actuator/circuitbreakers"), "circuitBreakers", breaker);
        assertThat(view).containsEntry("state", "OPEN").containsEntry("failureRate", 100.0)
                .containsEntry("bufferedCalls", 4).containsEntry("failedCalls", 4).containsEntry("notPermittedCalls", 1);
        assertThat(((Number) view.get("remainingOpenMillis")).longValue()).isPositive();

        ResponseEntity<String> health = get("/actuator/health");
        assertThat(health.getStatusCode().value()).as("an open breaker does not fail the application").isEqualTo(200);
        Map<String, Object> healthJson = json("/actuator/health");
        assertThat(healthJson).containsEntry("status", "UP");
        assertThat(at(healthJson, "components", "recloser")).containsEntry("status", "CIRCUIT_OPEN");
        assertThat(at(healthJson, "components", "recloser", "details", "circuitBreakers", breaker))
                .containsEntry("state", "OPEN");

        String prometheus = get("/actuator/prometheus").getBody();
        assertThat(prometheus).contains("recloser_circuitbreaker_state{")
                .contains("recloser_circuitbreaker_calls_total{")
                .contains("recloser_retry_calls_total{");

        STATUS.set(200);
        assertThat(action(breaker, "reset")).containsEntry("state", "CLOSED").containsEntry("bufferedCalls", 0);

        assertThat(get("/stock").getBody()).isEqualTo("42");
        assertThat(at(json("/actuator/circuitbreakers"), "circuitBreakers", breaker))
                .containsEntry("state", "CLOSED").containsEntry("bufferedCalls", 1).containsEntry("failedCalls", 0);
        assertThat(at(json("/actuator/health"), "components", "recloser")).containsEntry("status", "UP");

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) json("/actuator/circuitbreakerevents/" + breaker).get("events");
        assertThat(events).extracting(e -> e.get("to") + " " + e.get("reason"))
                .endsWith("OPEN FAILURE_RATE", "CLOSED RESET");
    }

    @Test
    void forceOpenThroughTheWriteOperationFailsFastUntilClosed() {
        String breaker = "http:127.0.0.1:" + UPSTREAM.port();
        STATUS.set(200);
        assertThat(get("/stock").getBody()).isEqualTo("42");
        app().post().uri("/actuator/circuitbreakers/{name}", breaker).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "force-open")).retrieve().toBodilessEntity().block(IO);
        assertThat(get("/stock").getBody()).isEqualTo("fast-fail");
        ResponseEntity<String> bad = app().post().uri("/actuator/circuitbreakers/{name}", breaker)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("action", "explode"))
                .retrieve().onStatus(s -> true, r -> Mono.empty()).toEntity(String.class).block(IO);
        assertThat(bad.getStatusCode().value()).isEqualTo(400);
        app().post().uri("/actuator/circuitbreakers/{name}", breaker).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "close")).retrieve().toBodilessEntity().block(IO);
        assertThat(get("/stock").getBody()).isEqualTo("42");
    }
}
