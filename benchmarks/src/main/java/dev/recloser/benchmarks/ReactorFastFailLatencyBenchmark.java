package dev.recloser.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Percentiles of the reactive fast-fail path: the same subscriptions as the {@code fastFail...}
 * rows of {@link ReactorBreakerBenchmark}, in {@link Mode#SampleTime}, which times single
 * operations. As in {@link RejectionLatencyBenchmark}, an operation of a few tens of nanoseconds is
 * close to the resolution of the two timer reads JMH puts around it, so the low percentiles are
 * best read against the bare row ({@code Mono.error} of a preallocated exception); the tail shows
 * the stalls (GC, safepoints, descheduling on a shared machine).
 *
 * <p>Run (from the repository root; {@code docs/benchmarks.md} has the exact commands and results
 * of the published runs):
 * <pre>
 * mvn -pl benchmarks -am package -Dmaven.test.skip=true
 * java -jar benchmarks/target/benchmarks.jar ReactorFastFailLatencyBenchmark -t 1 -prof gc
 * java -jar benchmarks/target/benchmarks.jar ReactorFastFailLatencyBenchmark -t 2 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Core logs through SLF4J and the jar ships no provider: silence SLF4J's "no providers" notice.
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.internal.verbosity=ERROR")
public class ReactorFastFailLatencyBenchmark {

    /** Bare: {@code Mono.error(preallocated)}, subscribed. */
    @Benchmark
    public void bare(ReactorOpenGuards g, BlackholeSubscriber s) {
        g.bareError.subscribe(s);
    }

    /** Recloser: the guarded Mono rejected with its stackless {@code CallNotPermittedException}. */
    @Benchmark
    public void recloser(ReactorOpenGuards g, BlackholeSubscriber s) {
        g.recloser.subscribe(s);
    }

    /** Resilience4j as documented ({@code transformDeferred}): rejected with its {@code CallNotPermittedException}. */
    @Benchmark
    public void resilience4j(ReactorOpenGuards g, BlackholeSubscriber s) {
        g.resilience4j.subscribe(s);
    }
}
