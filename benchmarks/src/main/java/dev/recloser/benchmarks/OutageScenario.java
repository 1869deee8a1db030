package dev.recloser.benchmarks;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerListener;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.StateTransition;
import dev.recloser.core.SlidingWindow;
import dev.recloser.webclient.ReactorNettyClients;
import dev.recloser.webclient.ResilienceFilter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * The outage scenario: a local Reactor Netty server goes through healthy, outage and recovery
 * phases while many concurrent WebClient callers call it, once without Recloser's filter and once
 * with it, and the difference is printed side by side.
 *
 * <p>Run (README, first command):
 * {@code mvn -B -ntp -q package -DskipTests -pl benchmarks -am && java -cp benchmarks/target/benchmarks.jar dev.recloser.benchmarks.OutageScenario}
 * <br>Options: {@code --mode hang|503|refused} (default hang), {@code --concurrency 64},
 * {@code --healthy 4 --outage 10 --recovery 6} (seconds per phase), {@code --pace-ms 50} (each
 * caller starts a call at most this often), {@code --timeout-ms 2000} (the client's response
 * timeout, the same with and without the filter), {@code --soak-minutes M} (the soak mode instead:
 * see {@link Soak}).
 *
 * <p>Only loopback (127.0.0.1) is used; every loop is bounded by the phase durations.
 */
public final class OutageScenario {

    enum Mode { HANG, STATUS_503, REFUSED }

    enum Phase { HEALTHY, OUTAGE, RECOVERY }

    record Options(Mode mode, int concurrency, int healthySeconds, int outageSeconds, int recoverySeconds,
                   int paceMillis, int timeoutMillis, int soakMinutes) {

        static Options parse(String[] args) {
            Mode mode = Mode.HANG;
            int concurrency = 64;
            int healthy = 4;
            int outage = 10;
            int recovery = 6;
            int pace = 50;
            int timeout = 2000;
            int soak = 0;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    System.out.println("usage: OutageScenario [--mode hang|503|refused] [--concurrency N] "
                            + "[--healthy S] [--outage S] [--recovery S] [--pace-ms MS] [--timeout-ms MS] [--soak-minutes M]");
                    System.exit(0);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--mode" -> mode = switch (v.toLowerCase(Locale.ROOT)) {
                        case "hang" -> Mode.HANG;
                        case "503" -> Mode.STATUS_503;
                        case "refused" -> Mode.REFUSED;
                        default -> throw new IllegalArgumentException("--mode must be hang, 503 or refused, was " + v);
                    };
                    case "--concurrency" -> concurrency = positive(a, v, 4096);
                    case "--healthy" -> healthy = positive(a, v, 3600);
                    case "--outage" -> outage = positive(a, v, 3600);
                    case "--recovery" -> recovery = positive(a, v, 3600);
                    case "--pace-ms" -> pace = positive(a, v, 60_000);
                    case "--timeout-ms" -> timeout = positive(a, v, 600_000);
                    case "--soak-minutes" -> soak = positive(a, v, 60);
                    default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
                }
            }
            return new Options(mode, concurrency, healthy, outage, recovery, pace, timeout, soak);
        }

        private static int positive(String option, String value, int max) {
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a whole number, was " + value, e);
            }
            if (n < 1 || n > max) {
                throw new IllegalArgumentException(option + " must be in [1, " + max + "], was " + value);
            }
            return n;
        }

        int totalSeconds() {
            return healthySeconds + outageSeconds + recoverySeconds;
        }
    }

    /** What one run measured. */
    static final class Result {
        final String label;
        final Histogram all = new Histogram(3_600_000_000_000L, 3);
        final Histogram fastFail = new Histogram(3_600_000_000_000L, 3);
        long successes;
        long failures;
        long fastFails;
        long timedOut;
        long total;
        double timeToOpenSeconds = Double.NaN;
        double timeToCloseSeconds = Double.NaN;
        long requestsDuringOutage;

        Result(String label) {
            this.label = label;
        }
    }

    /** The server: its behaviour follows the current phase and mode. */
    static final class Server {
        private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.HEALTHY);
        private final Mode mode;
        private final AtomicLong requests = new AtomicLong();
        /** Open connections: stopping the listener alone would leave pooled keep-alive connections serving. */
        private final io.netty.channel.group.ChannelGroup connections =
                new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE);
        private DisposableServer server;
        private int port;

        Server(Mode mode) {
            this.mode = mode;
        }

        void start() {
            server = HttpServer.create().host("127.0.0.1").port(port)
                    .doOnConnection(c -> connections.add(c.channel()))
                    .route(r -> r.route(req -> req.uri().startsWith("/item"), (req, res) -> {
                        requests.incrementAndGet();
                        Phase p = phase.get();
                        if (p == Phase.OUTAGE && mode == Mode.HANG) {
                            return Mono.never();
                        }
                        if (p == Phase.OUTAGE && mode == Mode.STATUS_503) {
                            return res.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send();
                        }
                        if (ThreadLocalRandom.current().nextInt(100) == 0) { // 1% errors when healthy
                            return res.status(HttpResponseStatus.INTERNAL_SERVER_ERROR).send();
                        }
                        // A few milliseconds of work, off the event loop's back: a timer, not a sleep.
                        return Mono.delay(Duration.ofMillis(2)).then(res.sendString(Mono.just("{\"stock\":3}")).then());
                    }))
                    .bindNow();
            port = server.port();
        }

        void enter(Phase next) {
            phase.set(next);
            if (mode == Mode.REFUSED) {
                if (next == Phase.OUTAGE) {
                    server.disposeNow(Duration.ofSeconds(5));
                    connections.close().awaitUninterruptibly(5_000); // connected clients see a closed socket
                } else if (next == Phase.RECOVERY) {
                    start(); // the same port: clients reconnect to where the server was
                }
            }
        }

        int port() {
            return port;
        }

        void stop() {
            if (server != null && !server.isDisposed()) {
                server.disposeNow(Duration.ofSeconds(5));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.soakMinutes > 0) {
            Soak.run(options);
            return;
        }
        System.out.printf(Locale.ROOT, "Recloser outage scenario: %d callers, one call each every %d ms at most, "
                        + "mode %s, phases healthy %ds -> outage %ds -> recovery %ds, client response timeout %d ms%n%n",
                options.concurrency, options.paceMillis, modeName(options.mode), options.healthySeconds,
                options.outageSeconds, options.recoverySeconds, options.timeoutMillis);
        Result without = run(options, false);
        System.out.println();
        Result with = run(options, true);
        System.out.println();
        printSummary(options, without, with);
    }

    static String modeName(Mode m) {
        return switch (m) {
            case HANG -> "hang (the server accepts and never answers)";
            case STATUS_503 -> "503 (the server answers 503 at once)";
            case REFUSED -> "refused (the server is stopped, then restarted on the same port)";
        };
    }

    static Result run(Options o, boolean withFilter) throws InterruptedException {
        String label = withFilter ? "with Recloser" : "without filter";
        Result result = new Result(label);
        Server server = new Server(o.mode);
        server.start();
        // The same client settings with and without the filter: the response timeout is what a
        // caller without a breaker waits for a hanging server.
        ReactorNettyClients settings = ReactorNettyClients.defaults().maxConnections(Math.max(o.concurrency, 16))
                .responseTimeout(Duration.ofMillis(o.timeoutMillis));
        ConnectionProvider pool = settings.connectionProvider("outage-" + (withFilter ? "with" : "without"));
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.builder()
                .slidingWindow(SlidingWindow.countBased(50))
                .minimumNumberOfCalls(20)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMillis(500))       // scaled to a 10 s outage:
                .openStateBackoff(2.0, Duration.ofSeconds(2))         // production waits are longer
                .maxWaitInHalfOpenState(Duration.ofMillis(o.timeoutMillis * 2L))
                .build());
        WebClient.Builder builder = WebClient.builder()
                .baseUrl("http://127.0.0.1:" + server.port)
                .clientConnector(new ReactorClientHttpConnector(settings.httpClient(pool)));
        if (withFilter) {
            builder.filter(ResilienceFilter.builder().breakers(breakers)
                    .attemptTimeout(Duration.ofMillis(o.timeoutMillis)).build());
        }
        WebClient client = builder.build();

        long startNanos = System.nanoTime();
        java.util.Queue<String> transitions = new java.util.concurrent.ConcurrentLinkedQueue<>();
        AtomicReference<Phase> phase = new AtomicReference<>(Phase.HEALTHY);
        AtomicLong outageStart = new AtomicLong();
        AtomicLong recoveryStart = new AtomicLong();
        breakers.addRegistryListener(new CircuitBreakerRegistry.RegistryListener() {
            @Override
            public void onAdded(CircuitBreaker breaker) {
                breaker.addListener(new CircuitBreakerListener() {
                    @Override
                    public void onStateTransition(StateTransition t) {
                        long now = System.nanoTime();
                        transitions.add(String.format(Locale.ROOT, "        >> %5.2f s  %s -> %s (%s)",
                                (now - startNanos) / 1e9, t.from(), t.to(), t.reason()));
                        if (t.to() == CircuitBreaker.State.OPEN && phase.get() == Phase.OUTAGE
                                && Double.isNaN(result.timeToOpenSeconds)) {
                            result.timeToOpenSeconds = (now - outageStart.get()) / 1e9;
                        }
                        if (t.to() == CircuitBreaker.State.CLOSED && phase.get() == Phase.RECOVERY
                                && Double.isNaN(result.timeToCloseSeconds)) {
                            result.timeToCloseSeconds = (now - recoveryStart.get()) / 1e9;
                        }
                    }
                });
            }
        }, true);

        Recorder fastFailLatency = new Recorder(3);
        AtomicLong timedOut = new AtomicLong();
        // Every call that ends is counted once, with its outcome and its latency together, in the
        // second it finished (a call cut short by the end of the run is not counted): the row of
        // a second then reads one bucket, so its columns add up (done = ok + fail + fast-fail).
        PerSecond tally = new PerSecond(startNanos, o.totalSeconds() + (int) (o.timeoutMillis / 1000L) + 3);

        Mono<Void> oneCall = Mono.defer(() -> {
            long t0 = System.nanoTime();
            return client.get().uri("/item").retrieve().toBodilessEntity()
                    .doOnSuccess(r -> tally.record(PerSecond.OK, t0, System.nanoTime()))
                    .onErrorResume(e -> {
                        long t1 = System.nanoTime();
                        if (e instanceof CallNotPermittedException) {
                            tally.record(PerSecond.FAST_FAIL, t0, t1);
                            fastFailLatency.recordValue(t1 - t0);
                        } else {
                            tally.record(PerSecond.FAIL, t0, t1);
                            if (isTimeout(e)) {
                                timedOut.incrementAndGet();
                            }
                        }
                        return Mono.empty();
                    })
                    .then();
        });
        long totalMillis = o.totalSeconds() * 1000L;
        List<Disposable> callers = new ArrayList<>();
        for (int i = 0; i < o.concurrency; i++) {
            // Each caller starts a call every paceMillis, or as soon as its previous call ends if that
            // took longer: a closed loop with think time, like a service handling its own traffic.
            callers.add(Flux.interval(Duration.ofMillis(ThreadLocalRandom.current().nextInt(o.paceMillis)),
                            Duration.ofMillis(o.paceMillis))
                    .onBackpressureDrop()
                    .take(Duration.ofMillis(totalMillis))
                    .concatMap(tick -> oneCall, 0)
                    .subscribe());
        }

        System.out.println("== " + label + " ==");
        System.out.println("  time  phase     breaker     done/s   ok/s  fail/s  fast-fail/s        p50        p99"
                + "   (done/s: calls that finished in that second; latencies of those calls)");
        for (int second = 1; second <= o.totalSeconds(); second++) {
            Phase p = second <= o.healthySeconds ? Phase.HEALTHY
                    : second <= o.healthySeconds + o.outageSeconds ? Phase.OUTAGE : Phase.RECOVERY;
            if (p != phase.get()) {
                if (p == Phase.OUTAGE) {
                    outageStart.set(System.nanoTime());
                    result.requestsDuringOutage = -server.requests.get();
                } else if (p == Phase.RECOVERY) {
                    recoveryStart.set(System.nanoTime());
                    result.requestsDuringOutage += server.requests.get();
                }
                phase.set(p);
                server.enter(p);
            }
            long target = startNanos + second * 1_000_000_000L;
            long sleepNanos = target - System.nanoTime();
            if (sleepNanos > 0) {
                Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
            }
            String state = withFilter ? breakers.all().stream().findFirst().map(b -> b.state().toString()).orElse("-") : "-";
            // A call that finished just before the second ended may still be recording itself:
            // wait a moment before reading the second's bucket (the next second keeps running).
            Thread.sleep(PerSecond.SETTLE_MILLIS);
            PerSecond.Row row = tally.row(second - 1);
            System.out.printf(Locale.ROOT, "  %3ds  %-8s  %-10s  %8d %6d  %6d  %11d  %9s  %9s%n", second,
                    p.name().toLowerCase(Locale.ROOT), state, row.done(), row.ok(), row.fail(), row.fastFail(),
                    row.done() == 0 ? "-" : latency(row.latency().getValueAtPercentile(50)),
                    row.done() == 0 ? "-" : latency(row.latency().getValueAtPercentile(99)));
            for (String line; (line = transitions.poll()) != null; ) {
                System.out.println(line);
            }
        }
        // Let calls in flight (at most one timeout long) finish, then stop everything.
        long drainDeadline = System.nanoTime() + (o.timeoutMillis + 1_000L) * 1_000_000L;
        while (callers.stream().anyMatch(d -> !d.isDisposed()) && System.nanoTime() < drainDeadline) {
            Thread.sleep(20);
        }
        callers.forEach(Disposable::dispose);
        Thread.sleep(PerSecond.SETTLE_MILLIS);
        for (int i = 0; i < tally.seconds(); i++) {
            PerSecond.Row row = tally.row(i);
            result.all.add(row.latency());
            result.successes += row.ok();
            result.failures += row.fail();
            result.fastFails += row.fastFail();
        }
        result.fastFail.add(fastFailLatency.getIntervalHistogram());
        result.timedOut = timedOut.get();
        result.total = result.successes + result.failures + result.fastFails;
        pool.disposeLater().block(Duration.ofSeconds(5));
        server.stop();
        return result;
    }

    static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
            if (t instanceof WebClientResponseException) {
                return false;
            }
        }
        return false;
    }

    static void printSummary(Options o, Result without, Result with) {
        System.out.println("== Summary (" + modeName(o.mode) + ") ==");
        String fmt = "  %-38s %18s %18s%n";
        System.out.printf(Locale.ROOT, fmt, "", without.label, with.label);
        System.out.printf(Locale.ROOT, fmt, "time to open after the outage starts", "never (no breaker)", seconds(with.timeToOpenSeconds));
        System.out.printf(Locale.ROOT, fmt, "fast-fail latency p50 / p99 / p99.9", "-", percentiles(with.fastFail));
        System.out.printf(Locale.ROOT, fmt, "calls that waited for a timeout", without.timedOut, with.timedOut);
        System.out.printf(Locale.ROOT, fmt, "caller time lost waiting for timeouts",
                String.format(Locale.ROOT, "%.0f s", without.timedOut * o.timeoutMillis / 1000.0),
                String.format(Locale.ROOT, "%.0f s", with.timedOut * o.timeoutMillis / 1000.0));
        System.out.printf(Locale.ROOT, fmt, "calls answered at once (fast fail)", without.fastFails, with.fastFails);
        System.out.printf(Locale.ROOT, fmt, "requests the server got in the outage", o.mode == Mode.REFUSED ? "- (stopped)"
                : String.valueOf(without.requestsDuringOutage), o.mode == Mode.REFUSED ? "- (stopped)"
                : String.valueOf(with.requestsDuringOutage));
        System.out.printf(Locale.ROOT, fmt, "time to close after recovery starts", "n/a", seconds(with.timeToCloseSeconds));
        System.out.printf(Locale.ROOT, fmt, "calls served (successful)", without.successes, with.successes);
        System.out.printf(Locale.ROOT, fmt, "calls failed (sent, then failed)", without.failures, with.failures);
        System.out.printf(Locale.ROOT, fmt, "latency of all calls p50 / p99",
                latency(without.all.getValueAtPercentile(50)) + " / " + latency(without.all.getValueAtPercentile(99)),
                latency(with.all.getValueAtPercentile(50)) + " / " + latency(with.all.getValueAtPercentile(99)));
        System.out.println();
        System.out.println("  Without a breaker every call still goes to the failing server, and waits for a timeout when it");
        System.out.println("  hangs. With Recloser the breaker opens after the first failures: callers get an answer in");
        System.out.println("  microseconds (room for a fallback) and the server is left alone to recover; a trial call after");
        System.out.println("  each open wait notices the recovery (the wait, doubling per failed trial, bounds how late).");
    }

    /** A latency with a unit that suits it: microseconds below a millisecond. */
    static String latency(long nanos) {
        return nanos < 1_000_000 ? String.format(Locale.ROOT, "%.1f us", nanos / 1e3)
                : String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    static String seconds(double s) {
        return Double.isNaN(s) ? "did not happen" : String.format(Locale.ROOT, "%.2f s", s);
    }

    static String percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "no fast-fail";
        }
        return String.format(Locale.ROOT, "%s / %s / %s", micros(h.getValueAtPercentile(50)),
                micros(h.getValueAtPercentile(99)), micros(h.getValueAtPercentile(99.9)));
    }

    static String micros(long nanos) {
        return nanos < 10_000 ? String.format(Locale.ROOT, "%.1f us", nanos / 1e3) : String.format(Locale.ROOT, "%.0f us", nanos / 1e3);
    }
}
