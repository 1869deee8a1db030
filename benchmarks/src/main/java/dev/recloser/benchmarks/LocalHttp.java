package dev.recloser.benchmarks;

import dev.recloser.webclient.ReactorNettyClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * The local HTTP server and the WebClients of {@link WebClientFilterBenchmark} and
 * {@link WebClientFastFailBenchmark}: a Reactor Netty server on 127.0.0.1 (an ephemeral port) that
 * answers {@code GET /item} at once with a small JSON body, and WebClients built on
 * {@link ReactorNettyClients#defaults()}, each with its own connection pool, so that the clients
 * under comparison differ only in their filter. Loopback only; the caller stops what it started
 * ({@link #close()}).
 */
final class LocalHttp implements AutoCloseable {

    static final String PATH = "/item";
    static final String BODY = "{\"stock\":3}";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    /** Requests the server has answered: a check that a fast-failing client sent nothing. */
    final AtomicLong requests = new AtomicLong();
    private final DisposableServer server;
    private final List<ConnectionProvider> pools = new ArrayList<>();

    LocalHttp() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get(PATH, (request, response) -> {
                    requests.incrementAndGet();
                    return response.header("Content-Type", "application/json").sendString(Mono.just(BODY));
                }))
                .bindNow(Duration.ofSeconds(10));
    }

    /** A WebClient for this server on a pool of its own, with {@code filter} if not null. */
    WebClient client(String poolName, ExchangeFilterFunction filter) {
        ReactorNettyClients settings = ReactorNettyClients.defaults();
        ConnectionProvider pool = settings.connectionProvider(poolName);
        pools.add(pool);
        WebClient.Builder builder = WebClient.builder()
                .baseUrl("http://127.0.0.1:" + server.port())
                .clientConnector(new ReactorClientHttpConnector(settings.httpClient(pool)));
        if (filter != null) {
            builder.filter(filter);
        }
        return builder.build();
    }

    /** One GET of {@link #PATH}, its body discarded: the operation every healthy row measures. */
    static Mono<ResponseEntity<Void>> get(WebClient client) {
        return client.get().uri(PATH).retrieve().toBodilessEntity();
    }

    /** Throws unless a blocking GET through {@code client} answers 200. */
    static void requireOk(String what, WebClient client) {
        ResponseEntity<Void> entity = get(client).block(Duration.ofSeconds(10));
        if (entity == null || entity.getStatusCode().value() != 200) {
            throw new IllegalStateException(what + ": expected 200, got " + entity);
        }
    }

    @Override
    public void close() {
        for (ConnectionProvider pool : pools) {
            pool.disposeLater().block(STOP_TIMEOUT);
        }
        server.disposeNow(STOP_TIMEOUT);
    }
}
