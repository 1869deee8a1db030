package dev.recloser.benchmarks;

import dev.recloser.core.CircuitBreaker;
import dev.failsafe.CircuitBreakerOpenException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The rejection (fast-fail) path of an open breaker, average time per call.
 *
 * <p>Two kinds of row per library: the bare rejection, the permit call returning "no", which is
 * what an operator pays before it decides how to fail; and {@code ...WithException}, the rejection
 * plus the exception each library raises for it (Recloser's stackless
 * {@code CallNotPermittedException}, Resilience4j's {@code CallNotPermittedException} as its
 * {@code acquirePermission()} builds it, with its default writable stack trace, and Failsafe's
 * {@code CircuitBreakerOpenException} as its executor builds it). The breakers are shared by all
 * threads (see {@link OpenBreakers}, which also defines the {@code state} parameter);
 * {@link #baseline} is a volatile read into a {@link Blackhole}, and {@link #baselineNanoTime} and
 * {@link #baselineLongAdder} measure, in the same run, the two operations a rejection is built of
 * besides that read. Percentiles of the same paths are in {@link RejectionLatencyBenchmark}.
 *
 * <p>Run (from the repository root; {@code docs/benchmarks.md} has the exact commands and results
 * of the published runs):
 * <pre>
 * mvn -pl benchmarks -am package -Dmaven.test.skip=true
 * java -jar benchmarks/target/benchmarks.jar RejectionBenchmark -t 1 -prof gc
 * java -jar benchmarks/target/benchmarks.jar RejectionBenchmark -t 2 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Core logs through SLF4J and the jar ships no provider: silence SLF4J's "no providers" notice.
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.internal.verbosity=ERROR")
public class RejectionBenchmark {

    /** The floor: one volatile read consumed by the Blackhole. */
    @Benchmark
    public void baseline(OpenBreakers b, Blackhole bh) {
        bh.consume(b.baselineValue);
    }

    /**
     * A cost component, not a breaker: one {@code System.nanoTime()} read, which a rejection in the
     * OPEN state needs to know whether the open wait has elapsed.
     */
    @Benchmark
    public void baselineNanoTime(Blackhole bh) {
        bh.consume(System.nanoTime());
    }

    /**
     * A cost component, not a breaker: one increment of a {@link LongAdder} shared by all threads,
     * the rejection counter of Recloser and Resilience4j.
     */
    @Benchmark
    public void baselineLongAdder(OpenBreakers b) {
        b.rejectionCounter.increment();
    }

    /** Recloser: {@code tryAcquirePermit()} returning {@code NO_PERMIT}, no exception built. */
    @Benchmark
    public void recloser(OpenBreakers b, Blackhole bh) {
        bh.consume(b.recloser.tryAcquirePermit());
    }

    /** Recloser: the rejection and the error an operator signals for it. */
    @Benchmark
    public void recloserWithException(OpenBreakers b, Blackhole bh) {
        long permit = b.recloser.tryAcquirePermit();
        if (permit == CircuitBreaker.NO_PERMIT) {
            bh.consume(b.recloser.callNotPermitted());
        } else {
            b.recloser.releasePermit(permit);
        }
    }

    /** Resilience4j: {@code tryAcquirePermission()} returning false. */
    @Benchmark
    public void resilience4j(OpenBreakers b, Blackhole bh) {
        bh.consume(b.resilience4j.tryAcquirePermission());
    }

    /** Resilience4j: the rejection and the exception {@code acquirePermission()} throws for it. */
    @Benchmark
    public void resilience4jWithException(OpenBreakers b, Blackhole bh) {
        if (!b.resilience4j.tryAcquirePermission()) {
            bh.consume(CallNotPermittedException.createCallNotPermittedException(b.resilience4j));
        } else {
            b.resilience4j.releasePermission();
        }
    }

    /** Failsafe: {@code tryAcquirePermit()} returning false. */
    @Benchmark
    public void failsafe(OpenBreakers b, Blackhole bh) {
        bh.consume(b.failsafe.tryAcquirePermit());
    }

    /** Failsafe: the rejection and the exception its executor returns for it. */
    @Benchmark
    public void failsafeWithException(OpenBreakers b, Blackhole bh) {
        if (!b.failsafe.tryAcquirePermit()) {
            bh.consume(new CircuitBreakerOpenException(b.failsafe));
        }
    }
}
