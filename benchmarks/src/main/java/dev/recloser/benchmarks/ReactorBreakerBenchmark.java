package dev.recloser.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The circuit breaker as a Reactor operator: one whole subscription per operation, through
 * Recloser's {@code CircuitBreakerOperator}, through Resilience4j 2.4.0's, and with no operator at
 * all, in the same run.
 *
 * <p>Three paths, each with its bare baseline:
 * <ul>
 *   <li>{@code mono...}: a closed breaker guarding {@code Mono.just(1)}: permit, subscribe to the
 *       source, the value, the recorded success, completion. Bare: {@code Mono.just(1)}.</li>
 *   <li>{@code fastFail...}: an open breaker ({@code state} = {@code OPEN} or
 *       {@code FORCED_OPEN}, see {@link ReactorOpenGuards}) rejecting the subscription with the
 *       library's {@code CallNotPermittedException}. Bare: {@code Mono.error} of a preallocated
 *       exception, the same two signals.</li>
 *   <li>{@code flux...}: a closed breaker guarding {@code Flux.range(0, 8)}, one call that emits
 *       eight values. Bare: {@code Flux.range(0, 8)}.</li>
 * </ul>
 * Every publisher is assembled once in {@code @Setup} and shared by all threads
 * ({@link ReactorGuards}, {@link ReactorOpenGuards}); every row subscribes with the same reusable
 * {@link BlackholeSubscriber}. Resilience4j is measured as documented ({@code transformDeferred},
 * which re-applies the operator at each subscription) and, in the {@code ...Transform} rows, applied
 * once like Recloser's. Recloser's breakers have the default config of {@link Peers}, which detects
 * no slow calls, so its operator reads no clock on the closed path; {@link #monoRecloserTimed}
 * turns slow-call detection on, as Resilience4j's default has it, and then every call is timed
 * (two clock readings). Two cost components are measured in the same run:
 * {@link #baselineNanoTime}, one {@code System.nanoTime()} (a timed call reads the clock twice, a
 * fast fail once), and {@link #baselineLongAdder}, one shared {@code LongAdder.increment()} (the
 * rejection counter).
 *
 * <p>Every row subscribes through {@code Mono.subscribe(CoreSubscriber)}, the entry operators use
 * (Java picks it for a {@code CoreSubscriber} argument), not the {@code subscribe(Subscriber)}
 * entry that applies the last-assembly hooks. Each row runs in a fork of its own, so its call sites
 * see one publisher type and the JIT inlines the whole subscription: the bare rows are what the
 * JIT leaves of {@code Mono.just} and {@code Mono.error} when it sees them whole (for
 * {@code Mono.error} of a preallocated exception, next to nothing). Percentiles of the fast-fail path are in
 * {@link ReactorFastFailLatencyBenchmark}.
 *
 * <p>Run (from the repository root; {@code docs/benchmarks.md} has the exact commands and results
 * of the published runs):
 * <pre>
 * mvn -pl benchmarks -am package -Dmaven.test.skip=true
 * java -jar benchmarks/target/benchmarks.jar ReactorBreakerBenchmark -t 1 -prof gc
 * java -jar benchmarks/target/benchmarks.jar ReactorBreakerBenchmark -t 2 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Core logs through SLF4J and the jar ships no provider: silence SLF4J's "no providers" notice.
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.internal.verbosity=ERROR")
public class ReactorBreakerBenchmark {

    /** Incremented by {@link #baselineLongAdder}: a rejection counter on its own, shared by all threads. */
    private final LongAdder rejectionCounter = new LongAdder();

    /** A cost component, not an operator: one {@code System.nanoTime()} read. */
    @Benchmark
    public void baselineNanoTime(Blackhole bh) {
        bh.consume(System.nanoTime());
    }

    /** A cost component, not an operator: one shared {@code LongAdder.increment()}, what a breaker counts a rejection with. */
    @Benchmark
    public void baselineLongAdder() {
        rejectionCounter.increment();
    }

    // ------------------------------------------------------------------ Mono, closed breaker

    /** Bare: {@code Mono.just(1)}, subscribed. */
    @Benchmark
    public void monoBare(ReactorGuards g, BlackholeSubscriber s) {
        g.bareMono.subscribe(s);
    }

    /** Recloser: {@code Mono.just(1).transform(CircuitBreakerOperator.of(breaker))}, subscribed. */
    @Benchmark
    public void monoRecloser(ReactorGuards g, BlackholeSubscriber s) {
        g.recloserMono.subscribe(s);
    }

    /**
     * Recloser with slow-call detection on ({@code slowCallDurationThreshold(60 s)}, like
     * Resilience4j's default): the operator reads the clock at the start and the end of the call.
     */
    @Benchmark
    public void monoRecloserTimed(ReactorGuards g, BlackholeSubscriber s) {
        g.recloserTimedMono.subscribe(s);
    }

    /** Resilience4j as documented: {@code Mono.just(1).transformDeferred(CircuitBreakerOperator.of(cb))}. */
    @Benchmark
    public void monoResilience4j(ReactorGuards g, BlackholeSubscriber s) {
        g.resilience4jMono.subscribe(s);
    }

    /** Resilience4j's operator applied once: {@code Mono.just(1).transform(CircuitBreakerOperator.of(cb))}. */
    @Benchmark
    public void monoResilience4jTransform(ReactorGuards g, BlackholeSubscriber s) {
        g.resilience4jMonoTransform.subscribe(s);
    }

    // ------------------------------------------------------------------ Mono, open breaker

    /** Bare: {@code Mono.error(preallocated)}, subscribed. */
    @Benchmark
    public void fastFailBare(ReactorOpenGuards g, BlackholeSubscriber s) {
        g.bareError.subscribe(s);
    }

    /** Bare, with an error built per subscription: {@code Mono.error(FreshError::new)}, a 40 B stackless exception. */
    @Benchmark
    public void fastFailBareFreshError(ReactorOpenGuards g, BlackholeSubscriber s) {
        g.bareFreshError.subscribe(s);
    }

    /** Recloser: the guarded Mono rejected with its stackless {@code CallNotPermittedException}. */
    @Benchmark
    public void fastFailRecloser(ReactorOpenGuards g, BlackholeSubscriber s) {
        g.recloser.subscribe(s);
    }

    /** Resilience4j ({@code transformDeferred}): rejected with its {@code CallNotPermittedException}. */
    @Benchmark
    public void fastFailResilience4j(ReactorOpenGuards g, BlackholeSubscriber s) {
        g.resilience4j.subscribe(s);
    }

    /** Resilience4j ({@code transform}): rejected with its {@code CallNotPermittedException}. */
    @Benchmark
    public void fastFailResilience4jTransform(ReactorOpenGuards g, BlackholeSubscriber s) {
        g.resilience4jTransform.subscribe(s);
    }

    // ------------------------------------------------------------------ Flux, closed breaker

    /** Bare: {@code Flux.range(0, 8)}, subscribed. */
    @Benchmark
    public void fluxBare(ReactorGuards g, BlackholeSubscriber s) {
        g.bareFlux.subscribe(s);
    }

    /** Recloser: {@code Flux.range(0, 8).transform(CircuitBreakerOperator.of(breaker))}, subscribed. */
    @Benchmark
    public void fluxRecloser(ReactorGuards g, BlackholeSubscriber s) {
        g.recloserFlux.subscribe(s);
    }

    /** Resilience4j as documented: {@code Flux.range(0, 8).transformDeferred(CircuitBreakerOperator.of(cb))}. */
    @Benchmark
    public void fluxResilience4j(ReactorGuards g, BlackholeSubscriber s) {
        g.resilience4jFlux.subscribe(s);
    }

    /** Resilience4j's operator applied once: {@code Flux.range(0, 8).transform(CircuitBreakerOperator.of(cb))}. */
    @Benchmark
    public void fluxResilience4jTransform(ReactorGuards g, BlackholeSubscriber s) {
        g.resilience4jFluxTransform.subscribe(s);
    }
}
