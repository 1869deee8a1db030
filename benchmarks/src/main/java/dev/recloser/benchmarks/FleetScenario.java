package dev.recloser.benchmarks;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.SlidingWindow;
import dev.recloser.redis.RedisFleet;
import dev.recloser.webclient.ResilienceFilter;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import redis.embedded.RedisServer;

/**
 * The fleet scenario: N instances (each its own registry, WebClient and filter; with fleet mode
 * also its own {@link RedisFleet} and Lettuce client) call one local server that goes down and
 * recovers, without and with fleet mode, against one local redis-server. Instance {@code i} sends
 * one request every {@code 5 x (i + 1)} ms, so the instances see the outage at different speeds, as
 * in a real fleet. Prints, per mode: requests the failing server received during the outage, of
 * them those after every instance was open (the probes), time until every instance is open, time
 * until every instance is closed after recovery, and the fast-fail p99.
 *
 * <p>Run:
 * <pre>
 * mvn -pl benchmarks -am package -Dmaven.test.skip=true
 * java -cp benchmarks/target/benchmarks.jar dev.recloser.benchmarks.FleetScenario --instances 8
 * </pre>
 */
public final class FleetScenario {

    private static final Duration OPEN_WAIT = Duration.ofSeconds(1);
    private static final Duration OUTAGE = Duration.ofSeconds(5);

    private FleetScenario() {
    }

    public static void main(String[] args) throws IOException {
        int instances = 8;
        for (int i = 0; i < args.length - 1; i++) {
            if ("--instances".equals(args[i])) {
                instances = Integer.parseInt(args[i + 1]);
            }
        }
        if (instances < 2 || instances > 200) {
            throw new IllegalArgumentException("--instances must be between 2 and 200, was " + instances);
        }
        int port = freePort();
        RedisServer redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").build();
        redis.start();
        try {
            Result off = run(instances, null);
            Result on = run(instances, RedisURI.create("redis://127.0.0.1:" + port));
            System.out.printf("%nFleet scenario, %d instances, open wait %d ms, outage %d s, minimumNumberOfCalls 10%n",
                    instances, OPEN_WAIT.toMillis(), OUTAGE.toSeconds());
            System.out.printf("%-10s %16s %16s %14s %16s %14s%n", "mode", "outage requests", "after all open",
                    "all open ms", "all closed ms", "fast-fail p99");
            for (Result r : List.of(off, on)) {
                System.out.printf("%-10s %16d %16d %14d %16d %11.1f us%n", r.mode, r.outageRequests, r.probes,
                        r.allOpenMs, r.allClosedMs, r.fastFailP99Micros);
            }
        } finally {
            redis.stop();
        }
    }

    private record Result(String mode, long outageRequests, long probes, long allOpenMs, long allClosedMs,
                          double fastFailP99Micros) {
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Result run(int n, RedisURI redis) {
        AtomicLong outageRequests = new AtomicLong();
        AtomicLong afterAllOpen = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean allOpen = new java.util.concurrent.atomic.AtomicBoolean();
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/item", (req, res) -> {
                    if (down.get()) {
                        outageRequests.incrementAndGet();
                        if (allOpen.get()) {
                            afterAllOpen.incrementAndGet();
                        }
                        return res.status(503).send();
                    }
                    return res.sendString(Mono.just("{\"stock\":3}"));
                }))
                .bindNow(Duration.ofSeconds(10));
        CircuitBreakerConfig config = CircuitBreakerConfig.builder()
                .slidingWindow(SlidingWindow.countBased(20)).minimumNumberOfCalls(10).failureRateThreshold(50)
                .waitDurationInOpenState(OPEN_WAIT).openStateBackoff(1.0, OPEN_WAIT).openStateJitter(0)
                .logTransitions(false).build();
        List<CircuitBreakerRegistry> registries = new ArrayList<>();
        List<RedisFleet> fleets = new ArrayList<>();
        List<Disposable> drivers = new ArrayList<>();
        ConcurrentHistogram fastFail = new ConcurrentHistogram(3);
        try {
            for (int i = 0; i < n; i++) {
                CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
                registries.add(registry);
                WebClient client = WebClient.builder().baseUrl("http://127.0.0.1:" + server.port())
                        .filter(ResilienceFilter.builder().breakers(registry).build()).build();
                drivers.add(Flux.interval(Duration.ofMillis(5L * (i + 1))).onBackpressureDrop()
                        .flatMap(tick -> {
                            long t0 = System.nanoTime();
                            return client.get().uri("/item").retrieve().toBodilessEntity()
                                    .then(Mono.<Void>empty())
                                    .onErrorResume(e -> {
                                        if (e instanceof dev.recloser.core.CallNotPermittedException) {
                                            fastFail.recordValue((System.nanoTime() - t0) / 1_000);
                                        }
                                        return Mono.empty();
                                    });
                        }, 4)
                        .subscribe());
            }
            if (redis != null) {
                // One namespace per run, shared by all instances of the run.
                String ns = "scenario-" + System.nanoTime();
                for (int i = 0; i < n; i++) {
                    RedisFleet fleet = RedisFleet.builder(redis).namespace(ns).instanceId("i" + i)
                            .heartbeat(Duration.ofMillis(200)).leaseDuration(Duration.ofSeconds(1)).build();
                    fleet.join(registries.get(i));
                    fleets.add(fleet);
                }
                await(Duration.ofSeconds(10), () -> fleets.stream().allMatch(RedisFleet::connected));
            }
            await(Duration.ofSeconds(10), () -> registries.stream().allMatch(r -> !r.all().isEmpty()));
            park(Duration.ofSeconds(1)); // healthy traffic

            down.set(true);
            long t0 = System.nanoTime();
            await(Duration.ofSeconds(10), () -> registries.stream().allMatch(r -> state(r) != CircuitBreaker.State.CLOSED),
                    () -> registries.stream().map(r -> r.all().toString()).toList() + " outage requests " + outageRequests);
            allOpen.set(true);
            long allOpenMs = (System.nanoTime() - t0) / 1_000_000;
            park(OUTAGE.minusMillis(allOpenMs));
            down.set(false);
            long t1 = System.nanoTime();
            await(Duration.ofSeconds(20), () -> registries.stream().allMatch(r -> state(r) == CircuitBreaker.State.CLOSED));
            long allClosedMs = (System.nanoTime() - t1) / 1_000_000;
            return new Result(redis == null ? "local" : "fleet", outageRequests.get(), afterAllOpen.get(), allOpenMs,
                    allClosedMs, fastFail.getValueAtPercentile(99));
        } finally {
            drivers.forEach(Disposable::dispose);
            fleets.forEach(RedisFleet::close);
            server.disposeNow(Duration.ofSeconds(5));
        }
    }

    private static CircuitBreaker.State state(CircuitBreakerRegistry r) {
        return r.all().iterator().next().state();
    }

    private static void park(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() - end < 0) {
            LockSupport.parkNanos(Math.min(10_000_000L, end - System.nanoTime()));
        }
    }

    private static void await(Duration timeout, BooleanSupplier condition) {
        await(timeout, condition, () -> "");
    }

    private static void await(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> detail) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new IllegalStateException("condition not met within " + timeout + " " + detail.get());
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }
}
