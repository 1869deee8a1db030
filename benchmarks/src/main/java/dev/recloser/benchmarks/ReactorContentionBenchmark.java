package dev.recloser.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A diagnostic for the 2-thread rows of {@link ReactorBreakerBenchmark}: the guarded
 * {@code Mono.just(1)} of each library once with one breaker shared by all threads (as there) and
 * once with a breaker per thread, in the same run. The difference is what sharing the breaker costs
 * (cache lines moving between the cores), apart from everything else two threads share (the
 * cores, the allocator, the collector). Only meaningful with {@code -t} of 2 or more.
 *
 * <p>Run (from the repository root; {@code docs/benchmarks.md} has the exact command and results of
 * the published run):
 * <pre>
 * mvn -pl benchmarks -am package -Dmaven.test.skip=true
 * java -jar benchmarks/target/benchmarks.jar ReactorContentionBenchmark -t 2 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Core logs through SLF4J and the jar ships no provider: silence SLF4J's "no providers" notice.
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.internal.verbosity=ERROR")
public class ReactorContentionBenchmark {

    /** The same breakers and publishers as {@link ReactorGuards}, one set per benchmark thread. */
    @State(Scope.Thread)
    public static class PerThreadGuards extends ReactorGuards {
    }

    /** Recloser, one breaker shared by all threads. */
    @Benchmark
    public void recloserShared(ReactorGuards g, BlackholeSubscriber s) {
        g.recloserMono.subscribe(s);
    }

    /** Recloser, a breaker per thread. */
    @Benchmark
    public void recloserPerThread(PerThreadGuards g, BlackholeSubscriber s) {
        g.recloserMono.subscribe(s);
    }

    /** Resilience4j ({@code transformDeferred}), one breaker shared by all threads. */
    @Benchmark
    public void resilience4jShared(ReactorGuards g, BlackholeSubscriber s) {
        g.resilience4jMono.subscribe(s);
    }

    /** Resilience4j ({@code transformDeferred}), a breaker per thread. */
    @Benchmark
    public void resilience4jPerThread(PerThreadGuards g, BlackholeSubscriber s) {
        g.resilience4jMono.subscribe(s);
    }
}
