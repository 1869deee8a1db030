package dev.recloser.benchmarks;

import dev.recloser.core.Bulkhead;
import dev.recloser.core.BulkheadFullException;
import dev.recloser.core.limit.AimdLimit;
import dev.recloser.core.limit.ConcurrencyLimitConfig;
import dev.recloser.core.limit.ConcurrencyLimiter;
import dev.recloser.core.limit.Gradient2Limit;
import dev.recloser.core.limit.LimitAlgorithm;
import dev.recloser.core.limit.LimitExceededException;
import dev.recloser.core.limit.VegasLimit;
import dev.recloser.reactor.BulkheadOperator;
import dev.recloser.reactor.ConcurrencyLimitOperator;
import dev.recloser.reactor.TimeoutOperator;
import dev.recloser.webclient.ReactorNettyClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.reactivestreams.Publisher;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Overload against a dependency of fixed capacity: how much useful work gets done with no limit,
 * with a fixed bulkhead of the right size, of half and of double that size, and with each adaptive
 * algorithm, which is not told the capacity.
 *
 * <p>The dependency is a Reactor Netty server on 127.0.0.1 that serves at most {@code C} requests
 * at once, each for {@code service} ms, and queues the rest (FIFO, unbounded); it does the work of
 * a queued request even if its client has given up, as most servers do. The client sends requests
 * open-loop at {@code load x C / service} per second through a WebClient (a pool large enough not
 * to be the bottleneck), each bounded by a client timeout; the guard under test sits around each
 * call and rejects before the request is sent. Goodput is successful responses per second, counted
 * over the measured part of the run (after a warm-up in which the adaptive limits find their
 * level); p50 / p99 are of those successes. Each configuration gets a fresh server, pool and guard.
 * The adaptive limits use their published defaults, except for the window (a quarter second
 * instead of one, so that they settle within the short warm-up).
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -pl benchmarks -am package -Dmaven.test.skip=true
 * java -cp benchmarks/target/benchmarks.jar dev.recloser.benchmarks.OverloadScenario --help
 * java -cp benchmarks/target/benchmarks.jar dev.recloser.benchmarks.OverloadScenario
 * </pre>
 * Defaults: {@code --capacity 40 --service-ms 100 --loads 2,4 --warmup 6 --measure 6
 * --timeout-ms 1000 --window-ms 250}; an unprinted JVM warm-up run, then 14 runs of about 14 s
 * each, about 4 minutes. Loopback only; every
 * loop is bounded by the run durations, and the program exits by itself.
 */
public final class OverloadScenario {

    /** A pause between runs, so that one run's closing connections do not load the next. */
    private static final long COOL_DOWN_MILLIS = 2_000;

    record Options(int capacity, int serviceMillis, List<Integer> loads, int warmupSeconds, int measureSeconds,
                   int timeoutMillis, int windowMillis) {

        static Options parse(String[] args) {
            int capacity = 40;
            int service = 100;
            List<Integer> loads = List.of(2, 4);
            int warmup = 6;
            int measure = 6;
            int timeout = 1000;
            int window = 250;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    System.out.println("usage: OverloadScenario [--capacity C] [--service-ms MS] [--loads 2,4] "
                            + "[--warmup S] [--measure S] [--timeout-ms MS] [--window-ms MS]\n"
                            + "  a server serving at most C requests at once for MS each, offered load x its capacity;\n"
                            + "  goodput and latency with no limit, bulkheads of C, C/2, 2C, and AIMD, Vegas, Gradient2");
                    System.exit(0);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--capacity" -> capacity = bounded(a, v, 2, 1000);
                    case "--service-ms" -> service = bounded(a, v, 1, 10_000);
                    case "--loads" -> {
                        List<Integer> l = new ArrayList<>();
                        for (String part : v.split(",")) {
                            l.add(bounded(a, part.trim(), 1, 16));
                        }
                        loads = List.copyOf(l);
                    }
                    case "--warmup" -> warmup = bounded(a, v, 0, 600);
                    case "--measure" -> measure = bounded(a, v, 1, 600);
                    case "--timeout-ms" -> timeout = bounded(a, v, 1, 600_000);
                    case "--window-ms" -> window = bounded(a, v, 1, 60_000);
                    default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
                }
            }
            return new Options(capacity, service, loads, warmup, measure, timeout, window);
        }

        private static int bounded(String option, String value, int min, int max) {
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a whole number, was " + value, e);
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(option + " must be in [" + min + ", " + max + "], was " + value);
            }
            return n;
        }

        double capacityPerSecond() {
            return capacity * 1000.0 / serviceMillis;
        }
    }

    /** A guard around each call, and what to report about it afterwards. */
    interface Guard {
        String label();

        UnaryOperator<Publisher<Integer>> operator();

        /** The limit at the end of the run, or "" for a fixed guard. */
        default String finalLimit() {
            return "";
        }
    }

    record Fixed(String label, Bulkhead bulkhead) implements Guard {
        @Override
        public UnaryOperator<Publisher<Integer>> operator() {
            return bulkhead == null ? p -> p : BulkheadOperator.of(bulkhead);
        }
    }

    record Adaptive(String label, ConcurrencyLimiter limiter) implements Guard {
        @Override
        public UnaryOperator<Publisher<Integer>> operator() {
            return ConcurrencyLimitOperator.of(limiter);
        }

        @Override
        public String finalLimit() {
            return Integer.toString(limiter.limit());
        }
    }

    /** What one run measured. */
    static final class Result {
        final String label;
        final int load;
        final Histogram latency = new ConcurrentHistogram(60_000_000_000L, 3);
        final LongAdder successes = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder timedOut = new LongAdder();
        final LongAdder otherErrors = new LongAdder();
        long sent;
        double measureSeconds;
        String finalLimit = "";

        Result(String label, int load) {
            this.label = label;
            this.load = load;
        }

        double goodput() {
            return successes.sum() / measureSeconds;
        }
    }

    /** The dependency: at most {@code capacity} requests served at once, the rest queued. */
    static final class CapacityServer implements AutoCloseable {
        private final int capacity;
        private final Duration service;
        private final AtomicInteger busy = new AtomicInteger();
        private final ConcurrentLinkedQueue<MonoSink<Void>> waiting = new ConcurrentLinkedQueue<>();
        private final DisposableServer server;
        final AtomicLong served = new AtomicLong();

        CapacityServer(int capacity, Duration service) {
            this.capacity = capacity;
            this.service = service;
            this.server = HttpServer.create().host("127.0.0.1").port(0)
                    .handle((request, response) -> {
                        // The work is subscribed on its own, so a client that gives up does not cancel it:
                        // a queued request still costs a slot when its turn comes.
                        Mono<Void> work = Mono.<Void>create(sink -> {
                            waiting.add(sink);
                            drain();
                        }).then(Mono.delay(service)).then().doFinally(s -> {
                            served.incrementAndGet();
                            busy.decrementAndGet();
                            drain();
                        }).cache();
                        work.subscribe();
                        return work.then(response.sendString(Mono.just("ok")).then());
                    })
                    .bindNow(Duration.ofSeconds(10));
        }

        /** Starts queued requests while a slot is free; called after every arrival and every completion. */
        private void drain() {
            for (;;) {
                if (waiting.isEmpty()) {
                    return;
                }
                int b = busy.get();
                if (b >= capacity) {
                    return;
                }
                if (!busy.compareAndSet(b, b + 1)) {
                    continue;
                }
                MonoSink<Void> next = waiting.poll();
                if (next == null) {
                    busy.decrementAndGet();
                    continue;
                }
                next.success();
            }
        }

        int port() {
            return server.port();
        }

        @Override
        public void close() {
            server.disposeNow(Duration.ofSeconds(5));
        }
    }

    static List<Guard> guards(Options o) {
        ConcurrencyLimitConfig base = ConcurrencyLimitConfig.builder().window(Duration.ofMillis(o.windowMillis)).build();
        List<Guard> g = new ArrayList<>();
        g.add(new Fixed("bulkhead C = " + o.capacity, Bulkhead.of("right", o.capacity)));
        g.add(new Fixed("bulkhead C/2 = " + o.capacity / 2, Bulkhead.of("half", Math.max(1, o.capacity / 2))));
        g.add(new Fixed("bulkhead 2C = " + 2 * o.capacity, Bulkhead.of("double", 2 * o.capacity)));
        LimitAlgorithm[] algorithms = {AimdLimit.defaults(), VegasLimit.defaults(), Gradient2Limit.defaults()};
        String[] names = {"AIMD (defaults)", "Vegas (defaults)", "Gradient2 (defaults)"};
        for (int i = 0; i < algorithms.length; i++) {
            g.add(new Adaptive(names[i], ConcurrencyLimiter.of(names[i], base.toBuilder().algorithm(algorithms[i]).build())));
        }
        // Last: its backlog of abandoned connections is the slowest to clear from a shared machine.
        g.add(new Fixed("no limit", null));
        return g;
    }

    static Result run(Options o, Guard guard, int load) throws InterruptedException {
        Result r = new Result(guard.label(), load);
        Duration service = Duration.ofMillis(o.serviceMillis);
        Scheduler ticker = Schedulers.newSingle("overload-ticker");
        ConnectionProvider pool = ReactorNettyClients.defaults().maxConnections(20_000).pendingAcquireMaxCount(20_000)
                .connectionProvider("overload");
        try (CapacityServer server = new CapacityServer(o.capacity, service)) {
            WebClient client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(
                    ReactorNettyClients.defaults().httpClient(pool))).baseUrl("http://127.0.0.1:" + server.port()).build();
            UnaryOperator<Publisher<Integer>> guarded = guard.operator();
            TimeoutOperator<Integer> timeout = TimeoutOperator.<Integer>of(Duration.ofMillis(o.timeoutMillis));
            double perSecond = load * o.capacityPerSecond();
            long startNanos = System.nanoTime();
            long measureFrom = startNanos + TimeUnit.SECONDS.toNanos(o.warmupSeconds);
            long endNanos = measureFrom + TimeUnit.SECONDS.toNanos(o.measureSeconds);
            AtomicLong sent = new AtomicLong();
            Disposable arrivals = Flux.interval(Duration.ofMillis(1), ticker).subscribe(tick -> {
                long now = System.nanoTime();
                if (now >= endNanos) {
                    return;
                }
                long due = (long) ((now - startNanos) / 1e9 * perSecond);
                while (sent.get() < due) {
                    sent.incrementAndGet();
                    long start = System.nanoTime();
                    boolean measured = start >= measureFrom;
                    // Subscribed off the ticker thread: opening connections must not hold up the arrivals.
                    Mono.from(guarded.apply(timeout.apply(client.get().uri("/").exchangeToMono(
                                    resp -> resp.releaseBody().thenReturn(resp.statusCode().value())))))
                            .subscribeOn(Schedulers.parallel())
                            .subscribe(status -> {
                                if (measured && status == 200) {
                                    r.successes.increment();
                                    r.latency.recordValue(System.nanoTime() - start);
                                }
                            }, e -> {
                                if (!measured) {
                                    return;
                                }
                                if (e instanceof LimitExceededException || e instanceof BulkheadFullException) {
                                    r.rejected.increment();
                                } else if (e instanceof TimeoutException) {
                                    r.timedOut.increment();
                                } else {
                                    r.otherErrors.increment();
                                }
                            });
                }
            });
            long waitMillis = TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime()) + o.timeoutMillis + 500L;
            Thread.sleep(Math.max(0, waitMillis)); // the calls of the run end within their timeout
            arrivals.dispose();
            r.sent = sent.get();
            r.measureSeconds = o.measureSeconds;
            r.finalLimit = guard.finalLimit();
        } finally {
            pool.disposeLater().block(Duration.ofSeconds(10));
            ticker.dispose();
        }
        return r;
    }

    static void printHeader(Options o) {
        System.out.printf(Locale.ROOT, "capacity %d at once x %d ms = %.0f req/s; client timeout %d ms; warm-up %d s, "
                        + "measured %d s; adaptive windows %d ms%n", o.capacity, o.serviceMillis, o.capacityPerSecond(),
                o.timeoutMillis, o.warmupSeconds, o.measureSeconds, o.windowMillis);
        System.out.println("| load | guard | goodput req/s | % of capacity | p50 ms | p99 ms | rejected/s | timed out/s "
                + "| limit at end |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    }

    static void printRow(Options o, Result r) {
        double p50 = r.latency.getTotalCount() == 0 ? Double.NaN : r.latency.getValueAtPercentile(50) / 1e6;
        double p99 = r.latency.getTotalCount() == 0 ? Double.NaN : r.latency.getValueAtPercentile(99) / 1e6;
        if (Boolean.getBoolean("overload.debug")) {
            System.out.println("sent " + r.sent + " ok " + r.successes.sum() + " rej " + r.rejected.sum() + " to "
                    + r.timedOut.sum() + " other " + r.otherErrors.sum());
        }
        System.out.printf(Locale.ROOT, "| %dx | %s | %.0f | %.0f%% | %.0f | %.0f | %.0f | %.0f | %s |%n", r.load, r.label,
                r.goodput(), 100 * r.goodput() / o.capacityPerSecond(), p50, p99,
                r.rejected.sum() / r.measureSeconds, r.timedOut.sum() / r.measureSeconds, r.finalLimit);
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // One unprinted run first: the first configuration must not pay for the JIT compiling the
        // HTTP stack (on a 2-core machine the first table row came out 40% low without it).
        run(o, new Fixed("JVM warm-up", Bulkhead.of("warm-up", 2 * o.capacity)), 1);
        Thread.sleep(COOL_DOWN_MILLIS);
        printHeader(o);
        for (int load : o.loads) {
            for (Guard g : guards(o)) {
                String only = System.getProperty("overload.only");
                if (only != null && !g.label().startsWith(only)) {
                    continue;
                }
                printRow(o, run(o, g, load));
                Thread.sleep(COOL_DOWN_MILLIS);
            }
        }
        System.exit(0);
    }
}
