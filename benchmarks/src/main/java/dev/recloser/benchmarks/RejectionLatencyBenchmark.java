package dev.recloser.benchmarks;

import dev.recloser.core.CircuitBreaker;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Percentiles of the rejection path: the same calls as {@link RejectionBenchmark}, in
 * {@link Mode#SampleTime}, which times single calls. A single call of a few nanoseconds is below
 * the resolution of the timer JMH reads around it, so the low percentiles show the timer's
 * granularity (the {@link #baseline} row measures exactly that floor); the tail (p99.9, p99.99,
 * max) shows the stalls: safepoints, GC, descheduling on a shared machine, lock convoys.
 *
 * <p>Run (from the repository root; {@code docs/benchmarks.md} has the exact commands and results
 * of the published runs):
 * <pre>
 * mvn -pl benchmarks -am package -Dmaven.test.skip=true
 * java -jar benchmarks/target/benchmarks.jar RejectionLatencyBenchmark -t 1 -prof gc
 * java -jar benchmarks/target/benchmarks.jar RejectionLatencyBenchmark -t 2 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Core logs through SLF4J and the jar ships no provider: silence SLF4J's "no providers" notice.
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.internal.verbosity=ERROR")
public class RejectionLatencyBenchmark {

    /** The floor: one volatile read consumed by the Blackhole, i.e. the timer's resolution. */
    @Benchmark
    public void baseline(OpenBreakers b, Blackhole bh) {
        bh.consume(b.baselineValue);
    }

    /** Recloser: {@code tryAcquirePermit()} returning {@code NO_PERMIT}. */
    @Benchmark
    public void recloser(OpenBreakers b, Blackhole bh) {
        bh.consume(b.recloser.tryAcquirePermit());
    }

    /** Recloser: the rejection and its stackless exception. */
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

    /** Failsafe: {@code tryAcquirePermit()} returning false. */
    @Benchmark
    public void failsafe(OpenBreakers b, Blackhole bh) {
        bh.consume(b.failsafe.tryAcquirePermit());
    }
}
