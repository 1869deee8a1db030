package dev.recloser.benchmarks;

import dev.recloser.core.Bulkhead;
import dev.recloser.core.limit.AimdLimit;
import dev.recloser.core.limit.ConcurrencyLimitConfig;
import dev.recloser.core.limit.ConcurrencyLimiter;
import dev.recloser.core.limit.Gradient2Limit;
import dev.recloser.core.limit.LimitAlgorithm;
import dev.recloser.core.limit.VegasLimit;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The healthy path of the adaptive concurrency limit, acquire + release, next to core's
 * {@link Bulkhead} (two CASes) in the same run; average time per call. The limiter and the
 * bulkhead are shared by all benchmark threads and sized so that nothing is rejected.
 *
 * <p>{@code sampled}: {@code false} keeps the default {@code minRttThreshold} of 100 µs, so these
 * in-memory calls (a few ns long) are admitted and released but not sampled, which is what a
 * limiter does with calls that say nothing about queueing; {@code true} sets it to 0, so every
 * release also adds to the window (two atomic adds, the min/max checks) and the windows close once
 * a second, run by one of the benchmark threads.
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -pl benchmarks -am package -Dmaven.test.skip=true
 * java -jar benchmarks/target/benchmarks.jar LimiterBenchmark -t 1 -prof gc
 * java -jar benchmarks/target/benchmarks.jar LimiterBenchmark -t 2 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.internal.verbosity=ERROR")
public class LimiterBenchmark {

    /** The shared bulkhead: far more permits than threads. */
    @State(Scope.Benchmark)
    public static class Bulkheads {
        Bulkhead bulkhead;

        @Setup
        public void setUp() {
            bulkhead = Bulkhead.of("bench", 1_000);
        }
    }

    /** The shared limiter, for each algorithm, with and without sampling. */
    @State(Scope.Benchmark)
    public static class Limiters {
        @Param({"VEGAS", "GRADIENT2", "AIMD"})
        public String algorithm;

        @Param({"false", "true"})
        public boolean sampled;

        ConcurrencyLimiter limiter;

        @Setup
        public void setUp() {
            LimitAlgorithm a = switch (algorithm) {
                case "VEGAS" -> VegasLimit.builder().initialLimit(1_000).build();
                case "GRADIENT2" -> Gradient2Limit.builder().initialLimit(1_000).minLimit(1_000).maxLimit(1_000).build();
                case "AIMD" -> AimdLimit.builder().initialLimit(1_000).minLimit(1_000).maxLimit(1_000).build();
                default -> throw new IllegalArgumentException("algorithm " + algorithm);
            };
            ConcurrencyLimitConfig.Builder b = ConcurrencyLimitConfig.builder().algorithm(a);
            if (sampled) {
                b.minRttThreshold(Duration.ZERO);
            }
            limiter = ConcurrencyLimiter.of("bench", b.build());
        }
    }

    /**
     * A cost component, not a guard: one {@code System.nanoTime()} read. The limiter reads the clock
     * twice per call (the permit is the start time; the release measures the latency), the bulkhead
     * never; on a virtual machine whose clock source is slow this row explains most of the gap.
     */
    @Benchmark
    public void baselineNanoTime(Blackhole bh) {
        bh.consume(System.nanoTime());
    }

    /** Core's {@code Bulkhead}: {@code tryAcquire()} + {@code release()}. */
    @Benchmark
    public void bulkhead(Bulkheads b, Blackhole bh) {
        boolean ok = b.bulkhead.tryAcquire();
        bh.consume(ok);
        b.bulkhead.release();
    }

    /** The adaptive limit: {@code tryAcquire()} + {@code onSuccess(permit)}. */
    @Benchmark
    public void limiter(Limiters l, Blackhole bh) {
        long permit = l.limiter.tryAcquire();
        bh.consume(permit);
        l.limiter.onSuccess(permit);
    }
}
