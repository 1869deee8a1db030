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
import reactor.netty.resources.LoopResources;

/**
 * The local HTTP server and the WebClients of {@link WebClientFilterBenchmark} and
 * {@link WebClientFastFailBenchmark}: a Reactor Netty server on 127.0.0.1 (an ephemeral port) that
 * answers {@code GET /item} at once with a small JSON body, and WebClients built on
 * {@link ReactorNettyClients#defaults()}, each with its own connection pool, so that the clients
 * under comparison differ only in their filter. Loopback only; the caller stops what it started
 * ({@link #close()}).
 *
 * <p>The server and every client run on one shared event loop of a single thread. With Reactor
 * Netty's default loops (one per core), whether a client's connection and the server's side of it
 * land on the same loop thread or on two is decided per connection, and the two placements differ
 * by a factor of two to four in round-trip time on a 2-core machine: iterations (and forks) of the
 * same row then ranged from 36 to 137 µs, far too wide to resolve a few percent of overhead. One
 * loop gives every row the same placement: the benchmark thread hands the request to the loop, the
 * loop serves both ends, the benchmark thread gets the response.
 */
final class LocalHttp implements AutoCloseable {

    static final String PATH = "/item";
    static final String BODY = "{\"stock\":3}";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    /** Requests the server has answered: a check that a fast-failing client sent nothing. */
    final AtomicLong requests = new AtomicLong();
    private final DisposableServer server;
    private final List<ConnectionProvider> pools = new ArrayList<>();
    /** One event loop thread for the server and all clients; see the class comment. */
    private final LoopResources loop = LoopResources.create("local-http", 1, 1, true);

    LocalHttp() {
        server = HttpServer.create().host("127.0.0.1").port(0).runOn(loop)
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
                .clientConnector(new ReactorClientHttpConnector(settings.httpClient(pool).runOn(loop)));
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
        loop.disposeLater().block(STOP_TIMEOUT);
    }
}
