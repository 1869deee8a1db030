package dev.recloser.webclient.guide;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.webclient.ResilienceFilter;
import java.time.Duration;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

public class FastFail {

    /** The default: an open breaker is a CallNotPermittedException. */
    public static Mono<String> get(WebClient client, String url) {
        return client.get().uri(url).retrieve().bodyToMono(String.class)
                .onErrorResume(CallNotPermittedException.class, e -> {
                    Duration retryAfter = e.retryAfter();            // rest of the open wait
                    return fallback(retryAfter);
                });
    }

    /** .fastFailResponse(true): a synthetic 503, for callers that already handle 503. */
    public static ExchangeFilterFunction syntheticResponses() {
        return ResilienceFilter.builder().fastFailResponse(true).build();
        // HTTP/1.1 503 Service Unavailable
        // Retry-After: 8                       <- whole seconds, rounded up, at least 1
        // X-Recloser-Fast-Fail: http:inventory:443
        // Content-Length: 0
    }

    private static Mono<String> fallback(Duration retryAfter) {
        return Mono.just("try again in " + retryAfter.toSeconds() + " s");
    }
}
