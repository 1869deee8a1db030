package dev.recloser.benchmarks;

import dev.recloser.core.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The closed path of a circuit breaker: ask for a permit, report a success. This is what every
 * call through a healthy breaker pays, so it is the number that matters most.
 *
 * <p>One benchmark method per library, all on one shared breaker per library
 * ({@link Scope#Benchmark}), so that {@code -t 2} measures two threads contending on the same
 * breaker as they would in a service. Every library is configured alike (see {@link Peers}); the
 * {@code window} parameter picks the count window (last 100 calls) or the time window (last 60 s).
 * {@link #baseline} is a volatile read into a {@link Blackhole}, the floor any breaker's closed
 * path stands on, measured in the same run so that ratios do not compare different runs;
 * {@link #baselineAtomicIncrement} is the floor of recording into shared memory.
 *
 * <p>Run (from the repository root; {@code docs/benchmarks.md} has the exact commands and results
 * of the published runs):
 * <pre>
 * mvn -pl benchmarks -am package -Dmaven.test.skip=true
 * java -jar benchmarks/target/benchmarks.jar CoreBreakerBenchmark -t 1 -prof gc
 * java -jar benchmarks/target/benchmarks.jar CoreBreakerBenchmark -t 2 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Core logs through SLF4J and the jar ships no provider: silence SLF4J's "no providers" notice.
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.internal.verbosity=ERROR")
public class CoreBreakerBenchmark {

    /** Which sliding window every library records into. */
    @Param({"COUNT", "TIME"})
    public Window window;

    /** Read by {@link #baseline}: volatile, like the state read that starts every closed path. */
    private volatile long baselineValue = 42L;
    /** Incremented by {@link #baselineAtomicIncrement}: one shared counter, like a window's cursor. */
    private final AtomicLong sharedCounter = new AtomicLong();

    private CircuitBreaker recloser;
    private io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jSynchronized;
    private io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jLockFree;
    private dev.failsafe.CircuitBreaker<Object> failsafe;

    @Setup(Level.Trial)
    public void setUp() {
        recloser = Peers.recloser(window);
        resilience4jSynchronized = Peers.resilience4j(window, SlidingWindowSynchronizationStrategy.SYNCHRONIZED);
        resilience4jLockFree = Peers.resilience4j(window, SlidingWindowSynchronizationStrategy.LOCK_FREE);
        failsafe = Peers.failsafe(window);
        // Fill every window with successes (several laps of the 100-call ring, and the current
        // bucket of each time window), so that the measurement sees the steady state of a busy
        // breaker rather than the first records into an empty window.
        for (int i = 0; i < 10 * Peers.COUNT_WINDOW_SIZE; i++) {
            recloser.onSuccess(recloser.tryAcquirePermit(), 0L);
            resilience4jSynchronized();
            resilience4jLockFree();
            failsafe.tryAcquirePermit();
            failsafe.recordSuccess();
        }
        requireClosed();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        requireClosed();
    }

    private void requireClosed() {
        // Only successes are recorded, so a breaker that is not CLOSED means the benchmark measured
        // something other than the closed path.
        if (recloser.state() != CircuitBreaker.State.CLOSED
                || resilience4jSynchronized.getState() != io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED
                || resilience4jLockFree.getState() != io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED
                || !failsafe.isClosed()) {
            throw new IllegalStateException("a breaker left CLOSED: " + recloser + ", "
                    + resilience4jSynchronized + ", " + resilience4jLockFree + ", " + failsafe.getState());
        }
    }

    /** The floor: one volatile read consumed by the Blackhole. */
    @Benchmark
    public void baseline(Blackhole bh) {
        bh.consume(baselineValue);
    }

    /**
     * A cost component, not a breaker: one atomic increment of a counter shared by all benchmark
     * threads. Any window that records every call into shared memory pays at least this; at
     * {@code -t 2} it shows what moving one cache line between the cores costs on this machine.
     */
    @Benchmark
    public void baselineAtomicIncrement(Blackhole bh) {
        bh.consume(sharedCounter.getAndIncrement());
    }

    /** Recloser: {@code tryAcquirePermit()} then {@code onSuccess(permit, 0)}. */
    @Benchmark
    public void recloser(Blackhole bh) {
        long permit = recloser.tryAcquirePermit();
        recloser.onSuccess(permit, 0L);
        bh.consume(permit);
    }

    /**
     * Resilience4j with its default window synchronisation (a lock around each record):
     * {@code acquirePermission()} then {@code onSuccess(0, NANOSECONDS)}. Both return nothing; the
     * record mutates the shared window, so nothing can be eliminated.
     */
    @Benchmark
    public void resilience4jSynchronized() {
        resilience4jSynchronized.acquirePermission();
        resilience4jSynchronized.onSuccess(0L, TimeUnit.NANOSECONDS);
    }

    /** Resilience4j with {@code SlidingWindowSynchronizationStrategy.LOCK_FREE}, otherwise alike. */
    @Benchmark
    public void resilience4jLockFree() {
        resilience4jLockFree.acquirePermission();
        resilience4jLockFree.onSuccess(0L, TimeUnit.NANOSECONDS);
    }

    /** Failsafe's standalone breaker API: {@code tryAcquirePermit()} then {@code recordSuccess()}. */
    @Benchmark
    public void failsafe(Blackhole bh) {
        boolean permitted = failsafe.tryAcquirePermit();
        failsafe.recordSuccess();
        bh.consume(permitted);
    }
}
