package dev.recloser.benchmarks;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.webclient.ResilienceFilter;
import java.util.Collection;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Per-call latency of a WebClient call that {@link ResilienceFilter} fails fast because the host's
 * breaker is open, with many concurrent callers: {@link Mode#SampleTime}, one call per operation,
 * timed from its subscription to its {@code onError}, shared breaker and WebClient
 * ({@link Scope#Benchmark}), {@code -t 64} callers by default.
 *
 * <p>Why this method. A rejection is synchronous: the filter decides inside {@code subscribe} and
 * the error arrives before {@code subscribe} returns, no network, no other thread. So the latency
 * of one rejected call is the time of that subscription, which {@code SampleTime} measures call by
 * call, and "64 concurrent callers" means 64 threads making such calls at once on one breaker. (A
 * {@code Flux.range(0, 64).flatMap(...)} per operation would not be concurrent: the 64 rejected
 * subscriptions would run one after another on one thread, and JMH would time the 64 together,
 * which says nothing about the percentiles of one call.) With 64 threads on a machine with fewer
 * cores the operating system preempts them, and a call during which its thread was preempted
 * includes the wait for a core: the tail percentiles then measure the scheduler as well as the
 * filter. Run {@code -t 1} (or {@code -t} = number of cores) alongside for the filter alone.
 *
 * <p>The breaker is tripped by failures (the way an outage opens it; open wait of an hour), after a
 * healthy call to the local server (see {@link LocalHttp}) created it. Rows: {@link #recloser}, the
 * call rejected with {@code CallNotPermittedException}; {@link #bare}, the same WebClient call
 * through a filter that returns {@code Mono.error} of a preallocated exception without looking at
 * anything: what WebClient itself costs for a call that fails in a filter (building the request,
 * the filter chain, the error signal), the floor of any fast fail through WebClient. Calls are
 * subscribed with a {@link BlackholeSubscriber}, not blocked on: {@code block()} would add, for every
 * error, an exception with a stack trace of Reactor's own ({@code "#block terminated with an
 * error"}).
 *
 * <p>Run (from the repository root; {@code docs/benchmarks.md} has the exact commands and results
 * of the published runs):
 * <pre>
 * mvn -pl benchmarks -am package -Dmaven.test.skip=true
 * java -jar benchmarks/target/benchmarks.jar WebClientFastFailBenchmark -t 64 -prof gc
 * java -jar benchmarks/target/benchmarks.jar WebClientFastFailBenchmark -t 1 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(64)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Core logs through SLF4J and the jar ships no provider: silence SLF4J's "no providers" notice.
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.internal.verbosity=ERROR")
public class WebClientFastFailBenchmark {

    /** A WebClient whose breaker is open, and the bare one, shared by all benchmark threads. */
    @State(Scope.Benchmark)
    public static class OpenClient {

        private static final RuntimeException FAILURE =
                new RuntimeException("benchmark failure", null, false, false) {
                    private static final long serialVersionUID = 1L;
                };

        /** Rejected calls per client in {@code @Setup}. */
        private static final int WARM_CALLS = 10_000;

        LocalHttp http;
        CircuitBreaker breaker;
        WebClient recloser;
        WebClient bare;
        private long requestsAfterSetup;

        @Setup(Level.Trial)
        public void setUp() {
            http = new LocalHttp();
            CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(Peers.recloser(Window.COUNT).config());
            recloser = http.client("fast-fail", ResilienceFilter.builder().breakers(registry).build());
            bare = http.client("bare-error", (request, next) -> Mono.error(ReactorOpenGuards.PREALLOCATED_ERROR));
            LocalHttp.requireOk("first call, creates the breaker", recloser);
            Collection<CircuitBreaker> breakers = registry.all();
            if (breakers.size() != 1) {
                throw new IllegalStateException("expected the filter's one breaker, got " + breakers);
            }
            breaker = breakers.iterator().next();
            for (int i = 0; i < 2 * Peers.COUNT_WINDOW_SIZE && breaker.state() == CircuitBreaker.State.CLOSED; i++) {
                breaker.onError(breaker.tryAcquirePermit(), 0L, FAILURE);
            }
            requireOpen();
            for (int i = 0; i < WARM_CALLS; i++) {
                requireError("Recloser", recloser, CallNotPermittedException.class);
                requireError("bare", bare, ReactorOpenGuards.PREALLOCATED_ERROR.getClass());
            }
            requestsAfterSetup = http.requests.get();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                requireOpen();
                if (http.requests.get() != requestsAfterSetup) {
                    throw new IllegalStateException((http.requests.get() - requestsAfterSetup)
                            + " requests reached the server while the breaker was open");
                }
            } finally {
                http.close();
            }
        }

        private void requireOpen() {
            if (breaker.state() != CircuitBreaker.State.OPEN) {
                throw new IllegalStateException("expected the breaker OPEN: " + breaker);
            }
        }

        private static void requireError(String what, WebClient client, Class<? extends Throwable> type) {
            BlackholeSubscriber.Recording r = new BlackholeSubscriber.Recording();
            LocalHttp.get(client).subscribe(r);
            r.requireError(what, type);
        }
    }

    /** Recloser: the call rejected by the open breaker, {@code CallNotPermittedException}. */
    @Benchmark
    public void recloser(OpenClient c, BlackholeSubscriber s) {
        LocalHttp.get(c.recloser).subscribe(s);
    }

    /** The floor: the same call failed by a filter returning {@code Mono.error(preallocated)}. */
    @Benchmark
    public void bare(OpenClient c, BlackholeSubscriber s) {
        LocalHttp.get(c.bare).subscribe(s);
    }
}
