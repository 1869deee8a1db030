package dev.recloser.benchmarks;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.reactor.CircuitBreakerOperator;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Open breakers and the Monos they guard, assembled once and shared by all benchmark threads, for
 * the fast-fail rows of {@link ReactorBreakerBenchmark} and {@link ReactorFastFailLatencyBenchmark}.
 *
 * <p>The breakers are those of {@link OpenBreakers}, opened the same way ({@code state=OPEN}:
 * tripped by failures, open wait of an hour not elapsed; {@code state=FORCED_OPEN}: the manual
 * state), so the figures line up with {@code RejectionBenchmark}'s. Every subscription to a guarded
 * Mono is rejected: the source is never subscribed and the subscriber gets {@code onSubscribe} then
 * {@code onError} with the library's {@code CallNotPermittedException}. The bare baseline is
 * {@code Mono.error} of one preallocated exception: the same two signals, with nothing decided and
 * nothing allocated. A second baseline, {@code Mono.error(FreshError::new)}, builds a stackless
 * exception at each subscription (40 B): a rejection that tells the caller anything (which breaker,
 * which state, when to retry) has to allocate at least that.
 */
@State(Scope.Benchmark)
public class ReactorOpenGuards {

    /** The bare baseline's error: preallocated and stackless, so subscribing allocates nothing. */
    static final RuntimeException PREALLOCATED_ERROR =
            new RuntimeException("preallocated benchmark error", null, false, false) {
                private static final long serialVersionUID = 1L;
            };

    /** Rejected subscriptions per publisher in {@code @Setup}, on top of {@link OpenBreakers}' own warm-up. */
    private static final int WARM_SUBSCRIPTIONS = 10_000;

    @Param({"OPEN", "FORCED_OPEN"})
    public OpenBreakers.OpenState state;

    private final OpenBreakers breakers = new OpenBreakers();

    Mono<Integer> bareError;
    Mono<Integer> bareFreshError;
    Mono<Integer> recloser;
    Mono<Integer> resilience4j;
    Mono<Integer> resilience4jTransform;

    @Setup(Level.Trial)
    public void setUp() {
        // OpenBreakers is a JMH state of its own; set up by hand here so both benchmarks open their
        // breakers in exactly the same way.
        breakers.state = state;
        breakers.setUp();
        io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator<Integer> resilience4jOperator =
                io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator.of(breakers.resilience4j);
        bareError = Mono.error(PREALLOCATED_ERROR);
        bareFreshError = Mono.error(FreshError::new);
        recloser = Mono.just(1).transform(CircuitBreakerOperator.of(breakers.recloser));
        resilience4j = Mono.just(1).transformDeferred(resilience4jOperator);
        resilience4jTransform = Mono.just(1).transform(resilience4jOperator);
        for (int i = 0; i < WARM_SUBSCRIPTIONS; i++) {
            requireError("bare Mono.error", bareError, RuntimeException.class);
            requireError("bare Mono.error, fresh error", bareFreshError, FreshError.class);
            requireError("Recloser", recloser, CallNotPermittedException.class);
            requireError("Resilience4j (transformDeferred)", resilience4j,
                    io.github.resilience4j.circuitbreaker.CallNotPermittedException.class);
            requireError("Resilience4j (transform)", resilience4jTransform,
                    io.github.resilience4j.circuitbreaker.CallNotPermittedException.class);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        breakers.tearDown(); // throws if a breaker left its open state
    }

    /** A stackless error built at each subscription: the allocation any fast fail that reports its state pays. */
    static final class FreshError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FreshError() {
            super(null, null, false, false);
        }
    }

    private static void requireError(String what, Publisher<Integer> mono, Class<? extends Throwable> type) {
        BlackholeSubscriber.Recording r = new BlackholeSubscriber.Recording();
        mono.subscribe(r);
        r.requireError(what, type);
    }
}
