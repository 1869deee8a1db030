package dev.recloser.webclient.guide;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.webclient.ReactorNettyClients;
import dev.recloser.webclient.ResilienceFilter;
import java.time.Duration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

public class InventoryClient implements AutoCloseable {

    /** The JSON answer of the inventory service, decoded by Jackson (see the dependencies). */
    public record Stock(String id, int quantity) {
    }

    private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();   // share it with metrics
    private final ConnectionProvider pool;
    private final WebClient client;

    public InventoryClient(String baseUrl) {
        ReactorNettyClients settings = ReactorNettyClients.defaults();
        pool = settings.connectionProvider("inventory");
        client = WebClient.builder()
                .baseUrl(baseUrl)
                .clientConnector(new ReactorClientHttpConnector(settings.httpClient(pool)))
                .filter(ResilienceFilter.builder()
                        .breakers(registry)                          // one breaker per host:port
                        .retry(ResilienceFilter.idempotentRetry())   // GET, PUT, DELETE...; honours Retry-After
                        .attemptTimeout(Duration.ofSeconds(2))
                        .totalTimeout(Duration.ofSeconds(5))
                        .build())
                .build();
    }

    public Mono<Stock> stock(String id) {
        return client.get().uri("/stock/{id}", id)
                .retrieve()
                .bodyToMono(Stock.class)
                .onErrorResume(CallNotPermittedException.class, e -> cached(id));   // the host's breaker is open
    }

    private Mono<Stock> cached(String id) {
        return Mono.just(new Stock(id, 0));                                    // your fallback
    }

    public CircuitBreakerRegistry breakers() {
        return registry;
    }

    @Override
    public void close() {
        pool.dispose();                                                        // at shutdown
    }
}
