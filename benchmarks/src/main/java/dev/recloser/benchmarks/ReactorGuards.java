package dev.recloser.benchmarks;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.reactor.CircuitBreakerOperator;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import java.time.Duration;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Closed breakers and the publishers they guard, assembled once and shared by all benchmark threads
 * ({@link Scope#Benchmark}), for the closed-path rows of {@link ReactorBreakerBenchmark}: so a
 * benchmark operation is one subscription, never an assembly, and {@code -t 2} measures two threads
 * contending on one breaker.
 *
 * <p>Recloser guards with {@code transform(CircuitBreakerOperator.of(breaker))}, its documented use.
 * Resilience4j guards with {@code transformDeferred(CircuitBreakerOperator.of(breaker))}, its
 * documented use, which builds the operator's publisher again at every subscription (a
 * {@code defer}); the {@code ...Transform} publishers apply Resilience4j's operator once with
 * {@code transform}, like Recloser's, to separate the operator's own cost from the defer's. Both
 * breakers have the count window of {@link Peers} (last 100 calls, same thresholds); Resilience4j
 * keeps its default {@code SYNCHRONIZED} window.
 *
 * <p>Timing. Recloser's default config detects no slow calls, so its operator reads no clock on the
 * closed path; Resilience4j's default detects slow calls (100% of calls over 60 s) and its operator
 * reads the clock at the start and the end of every call. {@code recloserTimedMono} guards with a
 * Recloser breaker configured like Resilience4j's default in that respect
 * ({@code slowCallDurationThreshold(60 s)}, rate 100%), so the operator times every call too.
 */
@State(Scope.Benchmark)
public class ReactorGuards {

    /** Elements of every guarded Flux: one call that emits several values. */
    static final int FLUX_LENGTH = 8;

    /** Subscriptions per publisher in {@code @Setup}: ten laps of the 100-call window. */
    private static final int WARM_SUBSCRIPTIONS = 10 * Peers.COUNT_WINDOW_SIZE;

    /** A Recloser breaker's slow-call threshold when it detects slow calls: Resilience4j's default. */
    static final Duration SLOW_CALL_THRESHOLD = Duration.ofSeconds(60);

    CircuitBreaker recloser;
    CircuitBreaker recloserTimed;
    io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j;

    Mono<Integer> bareMono;
    Mono<Integer> recloserMono;
    Mono<Integer> recloserTimedMono;
    Mono<Integer> resilience4jMono;
    Mono<Integer> resilience4jMonoTransform;

    Flux<Integer> bareFlux;
    Flux<Integer> recloserFlux;
    Flux<Integer> resilience4jFlux;
    Flux<Integer> resilience4jFluxTransform;

    @Setup(Level.Trial)
    public void setUp() {
        recloser = Peers.recloser(Window.COUNT);
        CircuitBreakerConfig timed = recloser.config().toBuilder()
                .slowCallDurationThreshold(SLOW_CALL_THRESHOLD)
                .slowCallRateThreshold(100)
                .build();
        recloserTimed = CircuitBreaker.of("recloser-COUNT-timed", timed);
        if (dev.recloser.core.internal.BreakerProtocol.of(recloser).wantsCallDurations() || !dev.recloser.core.internal.BreakerProtocol.of(recloserTimed).wantsCallDurations()) {
            throw new IllegalStateException("expected an untimed and a timed breaker: " + recloser.config()
                    + ", " + recloserTimed.config());
        }
        resilience4j = Peers.resilience4j(Window.COUNT, SlidingWindowSynchronizationStrategy.SYNCHRONIZED);
        CircuitBreakerOperator<Integer> recloserOperator = CircuitBreakerOperator.of(recloser);
        io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator<Integer> resilience4jOperator =
                io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator.of(resilience4j);

        bareMono = Mono.just(1);
        recloserMono = Mono.just(1).transform(recloserOperator);
        recloserTimedMono = Mono.just(1).transform(CircuitBreakerOperator.of(recloserTimed));
        resilience4jMono = Mono.just(1).transformDeferred(resilience4jOperator);
        resilience4jMonoTransform = Mono.just(1).transform(resilience4jOperator);

        bareFlux = Flux.range(0, FLUX_LENGTH);
        recloserFlux = Flux.range(0, FLUX_LENGTH).transform(recloserOperator);
        resilience4jFlux = Flux.range(0, FLUX_LENGTH).transformDeferred(resilience4jOperator);
        resilience4jFluxTransform = Flux.range(0, FLUX_LENGTH).transform(resilience4jOperator);

        // Each publisher must deliver its values and complete synchronously, inside subscribe: then
        // one benchmark operation is exactly one whole call.
        for (int i = 0; i < WARM_SUBSCRIPTIONS; i++) {
            requireMono("bare Mono", bareMono);
            requireMono("Recloser Mono", recloserMono);
            requireMono("Recloser Mono, timed", recloserTimedMono);
            requireMono("Resilience4j Mono (transformDeferred)", resilience4jMono);
            requireMono("Resilience4j Mono (transform)", resilience4jMonoTransform);
            requireFlux("bare Flux", bareFlux);
            requireFlux("Recloser Flux", recloserFlux);
            requireFlux("Resilience4j Flux (transformDeferred)", resilience4jFlux);
            requireFlux("Resilience4j Flux (transform)", resilience4jFluxTransform);
        }
        requireClosed();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        requireClosed();
    }

    private static void requireMono(String what, Publisher<Integer> mono) {
        BlackholeSubscriber.Recording r = new BlackholeSubscriber.Recording();
        mono.subscribe(r);
        r.requireCompleted(what, 1);
    }

    private static void requireFlux(String what, Publisher<Integer> flux) {
        BlackholeSubscriber.Recording r = new BlackholeSubscriber.Recording();
        flux.subscribe(r);
        r.requireCompleted(what, FLUX_LENGTH);
    }

    private void requireClosed() {
        // Every call succeeds, so a breaker that is not CLOSED means something else was measured.
        if (recloser.state() != CircuitBreaker.State.CLOSED || recloserTimed.state() != CircuitBreaker.State.CLOSED
                || resilience4j.getState() != io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED) {
            throw new IllegalStateException("a breaker left CLOSED: " + recloser + ", " + recloserTimed + ", "
                    + resilience4j);
        }
    }
}
