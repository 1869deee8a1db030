package dev.recloser.benchmarks;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.webclient.ResilienceFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * What {@link ResilienceFilter} adds to a healthy HTTP call: a GET of a small body from a local
 * Reactor Netty server (see {@link LocalHttp}), through a WebClient without the filter and through
 * the same WebClient with it, in the same run. Each operation is one whole call,
 * {@code get().uri("/item").retrieve().toBodilessEntity().block()}: request, response, body
 * released, connection back to the pool. Blocking is fine here: a JMH thread is not an event loop.
 *
 * <p>Rows: {@link #withoutFilter}, the floor; {@link #withFilter}, the filter with its defaults,
 * {@code ResilienceFilter.builder().breakers(registry).build()}: a per-host breaker (count window of
 * {@link Peers}) and the default 10 s attempt timeout, which schedules a timer on
 * {@code Schedulers.parallel()} at every call and cancels it when the response arrives;
 * {@link #withFilterNoTimeout}, the breaker alone ({@code noAttemptTimeout()});
 * {@link #withFilterRetry}, the defaults plus {@code retry(idempotentRetry())}. Every filtered
 * client has a registry of its own, so no two share a breaker. Every client has its own connection
 * pool with the {@code ReactorNettyClients.defaults()} settings; the server and the clients share
 * Reactor Netty's event loops, and on a 2-core machine the benchmark thread, the client and the
 * server compete for the same cores, so the figures are a loopback round trip, not a network one:
 * the filter's share of a real call is smaller.
 *
 * <p>Warm-up is long on purpose: on the 2-core machine of the published runs every row (with or
 * without the filter) ran at 30-50 µs per call for its first 4-5 seconds and then settled at about
 * 100 µs for the rest of the fork, in every fork (cause not found: the pool reuses its connections,
 * and the single event loop of {@link LocalHttp} rules out placement). Measuring across the step
 * made the errors larger than the figures; eight warm-up seconds put every measured iteration after
 * it.
 *
 * <p>Run (from the repository root; {@code docs/benchmarks.md} has the exact commands and results
 * of the published runs):
 * <pre>
 * mvn -pl benchmarks -am package -Dmaven.test.skip=true
 * java -jar benchmarks/target/benchmarks.jar WebClientFilterBenchmark -t 1 -f 2 -wi 8 -i 8 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 8, time = 1)
// Core logs through SLF4J and the jar ships no provider: silence SLF4J's "no providers" notice.
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.internal.verbosity=ERROR")
public class WebClientFilterBenchmark {

    private static final Duration BLOCK_TIMEOUT = Duration.ofSeconds(10);

    /** The server and the four clients, shared by all benchmark threads. */
    @State(Scope.Benchmark)
    public static class Clients {

        /** Calls per client in {@code @Setup}: connections opened, code paths compiled, windows filled. */
        private static final int WARM_CALLS = 2_000;

        LocalHttp http;
        private final List<CircuitBreakerRegistry> registries = new ArrayList<>();
        WebClient withoutFilter;
        WebClient withFilter;
        WebClient withFilterNoTimeout;
        WebClient withFilterRetry;

        @Setup(Level.Trial)
        public void setUp() {
            http = new LocalHttp();
            withoutFilter = http.client("without-filter", null);
            withFilter = http.client("with-filter", ResilienceFilter.builder().breakers(registry()).build());
            withFilterNoTimeout = http.client("with-filter-no-timeout",
                    ResilienceFilter.builder().breakers(registry()).noAttemptTimeout().build());
            withFilterRetry = http.client("with-filter-retry",
                    ResilienceFilter.builder().breakers(registry()).retry(ResilienceFilter.idempotentRetry()).build());
            for (int i = 0; i < WARM_CALLS; i++) {
                LocalHttp.requireOk("without filter", withoutFilter);
                LocalHttp.requireOk("with filter", withFilter);
                LocalHttp.requireOk("with filter, no timeout", withFilterNoTimeout);
                LocalHttp.requireOk("with filter and retry", withFilterRetry);
            }
            requireClosed();
        }

        /** A registry of its own for each filtered client, with the breaker config of {@link Peers}. */
        private CircuitBreakerRegistry registry() {
            CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(Peers.recloser(Window.COUNT).config());
            registries.add(registry);
            return registry;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                requireClosed();
            } finally {
                http.close();
            }
        }

        private void requireClosed() {
            // Every call succeeds: a breaker that is not CLOSED would have fast-failed some calls.
            for (CircuitBreakerRegistry registry : registries) {
                if (registry.all().size() != 1) {
                    throw new IllegalStateException("expected one breaker (one host), got " + registry.all());
                }
                for (CircuitBreaker b : registry.all()) {
                    if (b.state() != CircuitBreaker.State.CLOSED) {
                        throw new IllegalStateException("breaker left CLOSED: " + b);
                    }
                }
            }
        }
    }

    /** The floor: the WebClient without any filter. */
    @Benchmark
    public ResponseEntity<Void> withoutFilter(Clients c) {
        return LocalHttp.get(c.withoutFilter).block(BLOCK_TIMEOUT);
    }

    /** The same WebClient with the filter's defaults: a breaker and a 10 s attempt timeout. */
    @Benchmark
    public ResponseEntity<Void> withFilter(Clients c) {
        return LocalHttp.get(c.withFilter).block(BLOCK_TIMEOUT);
    }

    /** The same WebClient with the filter's breaker alone ({@code noAttemptTimeout()}). */
    @Benchmark
    public ResponseEntity<Void> withFilterNoTimeout(Clients c) {
        return LocalHttp.get(c.withFilterNoTimeout).block(BLOCK_TIMEOUT);
    }

    /** The same WebClient with the filter's defaults and {@code retry(idempotentRetry())}. */
    @Benchmark
    public ResponseEntity<Void> withFilterRetry(Clients c) {
        return LocalHttp.get(c.withFilterRetry).block(BLOCK_TIMEOUT);
    }
}
