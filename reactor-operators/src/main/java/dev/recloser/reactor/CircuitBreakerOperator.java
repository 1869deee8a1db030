package dev.recloser.reactor;

import dev.recloser.core.CircuitBreaker;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Guards a {@link Mono} or {@link Flux} with a {@link CircuitBreaker}:
 * {@code mono.transform(CircuitBreakerOperator.of(breaker))}. A Mono stays a Mono.
 *
 * <p>Semantics, per subscription (one subscription is one call):
 * <ul>
 *   <li>A permit is taken when the subscriber subscribes, before the source is subscribed. When the
 *       breaker rejects the call, the source is never subscribed and the subscriber receives
 *       {@code onSubscribe} then {@code onError(CallNotPermittedException)}.</li>
 *   <li>Mono: a value is reported through the breaker's {@code recordResult} classification when it
 *       arrives; an empty completion is a success; an error is classified by the breaker.</li>
 *   <li>Flux: completion is a success, an error is classified; values pass through untouched.</li>
 *   <li>Cancel: see {@link CancelOutcome}; {@link CancelOutcome#IGNORE} (release) by default.</li>
 *   <li>Exactly one outcome or release is reported per permit, whatever races between
 *       {@code onNext}, {@code onError}, {@code onComplete} and {@code cancel}. The outcome is
 *       reported before the signal is passed on, so a downstream retry sees the updated state.</li>
 *   <li>The duration runs from subscription to the terminal signal, on the breaker's clock.</li>
 *   <li>If the breaker's classification predicate throws, the error goes through
 *       {@code Operators.onOperatorError} to the subscriber (with the original error suppressed)
 *       and the permit is released.</li>
 * </ul>
 * The {@code Context} passes through untouched. Instances are immutable and thread-safe; one
 * operator may be applied to any number of publishers.
 *
 * @param <T> the element type
 */
public final class CircuitBreakerOperator<T> implements UnaryOperator<Publisher<T>> {

    private final CircuitBreaker breaker;
    private final CancelOutcome onCancel;

    private CircuitBreakerOperator(CircuitBreaker breaker, CancelOutcome onCancel) {
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.onCancel = Objects.requireNonNull(onCancel, "onCancel");
    }

    /** An operator guarding calls with {@code breaker}; cancels release the permit. */
    public static <T> CircuitBreakerOperator<T> of(CircuitBreaker breaker) {
        return new CircuitBreakerOperator<>(breaker, CancelOutcome.IGNORE);
    }

    /** A copy that reports cancellations as {@code onCancel}. */
    public CircuitBreakerOperator<T> onCancel(CancelOutcome onCancel) {
        return new CircuitBreakerOperator<>(breaker, onCancel);
    }

    /** The breaker this operator reports to. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** What a cancelled call reports. */
    public CancelOutcome cancelOutcome() {
        return onCancel;
    }

    @Override
    public Publisher<T> apply(Publisher<T> source) {
        return Lifted.lift(source,
                (src, actual, mono) -> CircuitBreakerSubscriber.subscribe(src, actual, this, mono),
                this::stepName, Scannable.Attr.RunStyle.SYNC);
    }

    /** The {@code Scannable} step name of the publisher and of its subscribers (never {@code Attr.NAME}). */
    String stepName() {
        return "circuitBreaker(" + breaker.name() + ")";
    }
}
