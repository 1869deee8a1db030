package dev.recloser.webclient.guide;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.retry.RetryPolicy;
import dev.recloser.reactor.Resilience;
import java.time.Duration;
import java.util.function.Function;
import reactor.core.publisher.Mono;

public class GuardedInventory {

    private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.balanced());
    private final CircuitBreaker breaker = registry.breaker("inventory");
    private final Function<String, Mono<String>> callInventory;   // your remote call

    public GuardedInventory(Function<String, Mono<String>> callInventory) {
        this.callInventory = callInventory;
    }

    public Mono<String> stock(String id) {
        return callInventory.apply(id)
                .transform(Resilience.standard()
                        .totalTimeout(Duration.ofSeconds(5))      // the whole call, retries included
                        .retry(RetryPolicy.defaults())            // 3 attempts, exponential backoff
                        .circuitBreaker(breaker)
                        .attemptTimeout(Duration.ofSeconds(1))    // each attempt
                        .build())
                .onErrorResume(CallNotPermittedException.class, e -> cached(id));
    }

    private Mono<String> cached(String id) {
        return Mono.just("{\"stock\":0}");                         // your fallback
    }

    public CircuitBreaker breaker() {
        return breaker;
    }
}
