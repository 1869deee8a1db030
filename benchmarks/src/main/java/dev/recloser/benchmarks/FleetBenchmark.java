package dev.recloser.benchmarks;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.SlidingWindow;
import dev.recloser.redis.RedisFleet;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import redis.embedded.RedisServer;

/**
 * Fleet mode on vs off in the same run: the closed path (permit and success) and the rejection of
 * an open breaker (permit refused), with the breakers' registry joined to a live {@link RedisFleet}
 * on a real local redis-server ({@code ON}) or not joined ({@code OFF}). Fleet mode must cost the
 * call path nothing: no store access per call, the CLOSED permit one volatile read.
 *
 * <p>Run:
 * <pre>
 * mvn -pl benchmarks -am package -Dmaven.test.skip=true
 * java -jar benchmarks/target/benchmarks.jar FleetBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.internal.verbosity=ERROR")
public class FleetBenchmark {

    /** Whether the registry is joined to a fleet. */
    @Param({"OFF", "ON"})
    public String fleet;

    private RedisServer redis;
    private RedisFleet redisFleet;
    private CircuitBreaker closed;
    private CircuitBreaker open;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.builder()
                .slidingWindow(SlidingWindow.countBased(100)).minimumNumberOfCalls(10)
                .waitDurationInOpenState(Duration.ofMinutes(1)).logTransitions(false).build());
        if ("ON".equals(fleet)) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").build();
            redis.start();
            redisFleet = RedisFleet.builder(RedisURI.create("redis://127.0.0.1:" + port))
                    .namespace("bench").instanceId("bench").heartbeat(Duration.ofMillis(100)).build();
            redisFleet.join(registry);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!redisFleet.connected()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("fleet did not connect");
                }
                LockSupport.parkNanos(10_000_000L);
            }
        }
        closed = registry.breaker("closed");
        open = registry.breaker("open");
        open.transitionToOpen();
        for (int i = 0; i < 1_000; i++) {
            closed.onSuccess(closed.tryAcquirePermit(), 0L);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (closed.state() != CircuitBreaker.State.CLOSED || open.state() != CircuitBreaker.State.OPEN) {
            throw new IllegalStateException("breakers moved: " + closed.state() + ", " + open.state());
        }
        if (redisFleet != null) {
            redisFleet.close();
            redis.stop();
        }
    }

    /** The closed path: a permit and a success. */
    @Benchmark
    public long closedPath() {
        long p = closed.tryAcquirePermit();
        closed.onSuccess(p, 0L);
        return p;
    }

    /** The rejection of an open breaker (the permit refused; no exception built). */
    @Benchmark
    public long rejection() {
        return open.tryAcquirePermit();
    }
}
