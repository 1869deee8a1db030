package dev.recloser.webclient;

import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.SlidingWindow;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Helpers shared by the tests that talk to a {@link TestServer}. */
final class TestClients {

    /** A generous bound for anything that involves real loopback I/O; never a timing assertion. */
    static final Duration IO_TIMEOUT = Duration.ofSeconds(10);

    private TestClients() {
    }

    /** A pool with the module's defaults; dispose it after the test. */
    static ConnectionProvider pool(String name) {
        return ReactorNettyClients.defaults().connectionProvider(name);
    }

    /** A WebClient on {@code pool} with {@code filters}, outermost first. */
    static WebClient client(ConnectionProvider pool, ExchangeFilterFunction... filters) {
        WebClient.Builder b = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(ReactorNettyClients.defaults().httpClient(pool)));
        for (ExchangeFilterFunction f : filters) {
            b = b.filter(f);
        }
        return b.build();
    }

    /** A filter placed after the resilience filter: counts the attempts it lets through, as they start. */
    static ExchangeFilterFunction counting(AtomicInteger attempts) {
        return (request, next) -> {
            attempts.incrementAndGet();
            return next.exchange(request);
        };
    }

    /** GETs {@code url} and yields the status, releasing the body. */
    static Mono<Integer> status(WebClient client, String url) {
        return client.get().uri(url).exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()));
    }

    /** {@link #status} run to completion on the test thread. */
    static int statusNow(WebClient client, String url) {
        Integer s = status(client, url).block(IO_TIMEOUT);
        if (s == null) {
            throw new AssertionError("no status for " + url);
        }
        return s;
    }

    /**
     * A breaker config for tests on virtual time: opens at 50% failures once 5 calls are in a
     * 10-call window, waits 10 s (no jitter, no growth), one probe.
     */
    static CircuitBreakerConfig config(VirtualTimeScheduler clock) {
        return CircuitBreakerConfig.builder()
                .slidingWindow(SlidingWindow.countBased(10))
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .openStateBackoff(1.0, Duration.ofSeconds(10))
                .openStateJitter(0)
                .permittedCallsInHalfOpenState(1)
                .clock(() -> clock.now(TimeUnit.NANOSECONDS))
                .build();
    }
}
