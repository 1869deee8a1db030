package dev.recloser.spring.e2e;

import dev.recloser.core.CallNotPermittedException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * A WebFlux application as a user writes it: the starter on the class path, a WebClient from the
 * injected builder, no Recloser code besides handling the fast fail.
 */
@SpringBootApplication
public class StockApplication {

    /** Calls the upstream server through the auto-configured, filtered WebClient. */
    @RestController
    static class StockController {
        private final WebClient upstream;

        StockController(WebClient.Builder builder, @Value("${upstream.url}") String url) {
            this.upstream = builder.baseUrl(url).build();
        }

        @GetMapping("/stock")
        Mono<ResponseEntity<String>> stock() {
            return upstream.get().uri("/stock").retrieve().bodyToMono(String.class)
                    .map(ResponseEntity::ok)
                    .onErrorResume(CallNotPermittedException.class,
                            e -> Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("fast-fail")))
                    .onErrorResume(WebClientResponseException.class,
                            e -> Mono.just(ResponseEntity.status(HttpStatus.BAD_GATEWAY).body("upstream " + e.getStatusCode().value())));
        }
    }
}
