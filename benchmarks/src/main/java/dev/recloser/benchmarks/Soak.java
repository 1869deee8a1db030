package dev.recloser.benchmarks;

import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.SlidingWindow;
import dev.recloser.webclient.KeyStrategy;
import dev.recloser.webclient.ReactorNettyClients;
import dev.recloser.webclient.ResilienceFilter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

/**
 * The soak mode of the outage scenario: sustained load with failures for a bounded time, printing
 * the heap after a full GC and the number of breakers at intervals, to show that nothing grows.
 *
 * <p>The server alternates 20 s healthy and 10 s of 503s in a cycle. Every call goes to one of
 * 5,000 paths, and the filter keys its breakers by path with {@code maxBreakers(1000)}, so breakers
 * are created and evicted all the time. Run:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.recloser.benchmarks.OutageScenario --soak-minutes 5}.
 * Loopback only; stops by itself.
 */
final class Soak {

    private static final int PATHS = 5_000;
    private static final int MAX_BREAKERS = 1_000;

    private Soak() {
    }

    static void run(OutageScenario.Options o) throws InterruptedException {
        OutageScenario.Server server = new OutageScenario.Server(OutageScenario.Mode.STATUS_503);
        server.start();
        ReactorNettyClients settings = ReactorNettyClients.defaults().maxConnections(Math.max(o.concurrency(), 16))
                .responseTimeout(Duration.ofMillis(o.timeoutMillis()));
        ConnectionProvider pool = settings.connectionProvider("soak");
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.builder()
                .slidingWindow(SlidingWindow.countBased(20)).minimumNumberOfCalls(10)
                .waitDurationInOpenState(Duration.ofSeconds(1)).openStateBackoff(2.0, Duration.ofSeconds(8)).build());
        WebClient client = WebClient.builder()
                .baseUrl("http://127.0.0.1:" + server.port())
                .clientConnector(new ReactorClientHttpConnector(settings.httpClient(pool)))
                .filter(ResilienceFilter.builder().breakers(breakers).maxBreakers(MAX_BREAKERS)
                        .key(KeyStrategy.of(request -> request.url().getPath()))
                        .retry(ResilienceFilter.idempotentRetry())
                        .attemptTimeout(Duration.ofMillis(o.timeoutMillis())).build())
                .build();
        AtomicLong calls = new AtomicLong();
        Mono<Void> oneCall = Mono.defer(() -> client.get()
                .uri("/item/{n}", ThreadLocalRandom.current().nextInt(PATHS))
                .retrieve().toBodilessEntity()
                .doFinally(s -> calls.incrementAndGet())
                .onErrorResume(e -> Mono.empty())
                .then());
        long totalMillis = o.soakMinutes() * 60_000L;
        List<Disposable> callers = new ArrayList<>();
        for (int i = 0; i < o.concurrency(); i++) {
            callers.add(Flux.interval(Duration.ofMillis(o.paceMillis()))
                    .onBackpressureDrop()
                    .take(Duration.ofMillis(totalMillis))
                    .concatMap(t -> oneCall, 0)
                    .subscribe());
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.out.printf(Locale.ROOT, "Soak: %d min, %d callers, %d paths keyed by path, maxBreakers %d, "
                        + "server cycles 20 s healthy / 10 s of 503%n", o.soakMinutes(), o.concurrency(), PATHS,
                MAX_BREAKERS);
        System.out.println("   time   phase     calls   breakers   heap after GC");
        long start = System.nanoTime();
        long reportEveryMillis = 10_000L;
        for (long elapsed = 0; elapsed < totalMillis; elapsed += reportEveryMillis) {
            long cycle = (elapsed / 1000) % 30;
            OutageScenario.Phase phase = cycle < 20 ? OutageScenario.Phase.HEALTHY : OutageScenario.Phase.OUTAGE;
            server.enter(phase);
            // The phase changes every 10 s, on the same beat as the report.
            long sleepNanos = start + (elapsed + reportEveryMillis) * 1_000_000L - System.nanoTime();
            if (sleepNanos > 0) {
                Thread.sleep(sleepNanos / 1_000_000);
            }
            System.gc(); // heap *after* a full collection: what is retained, not what awaits collection
            long heapMb = memory.getHeapMemoryUsage().getUsed() / (1024 * 1024);
            System.out.printf(Locale.ROOT, "  %4ds   %-8s %8d   %8d   %6d MB%n", (elapsed + reportEveryMillis) / 1000,
                    phase.name().toLowerCase(Locale.ROOT), calls.get(), breakers.all().size(), heapMb);
        }
        callers.forEach(Disposable::dispose);
        pool.disposeLater().block(Duration.ofSeconds(5));
        server.stop();
        System.out.println("Soak done: the breaker count stays at or below " + MAX_BREAKERS
                + " and the heap after GC should stay flat.");
    }
}
