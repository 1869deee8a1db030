package dev.recloser.reactor;

import dev.recloser.core.CircuitBreaker;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;

/** {@link CircuitBreakerOperator} applied to a Mono. */
final class MonoCircuitBreaker<T> extends MonoOperator<T, T> {

    private final CircuitBreaker breaker;
    private final CancelOutcome onCancel;

    MonoCircuitBreaker(Mono<? extends T> source, CircuitBreaker breaker, CancelOutcome onCancel) {
        super(source);
        this.breaker = breaker;
        this.onCancel = onCancel;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        CircuitBreakerSubscriber.subscribe(source, actual, breaker, onCancel, true);
    }

    @SuppressWarnings("rawtypes") // reactor-core declares scanUnsafe with the raw Attr type
    @Override
    public Object scanUnsafe(Attr key) {
        if (key == Attr.RUN_STYLE) {
            return Attr.RunStyle.SYNC;
        }
        if (key == Attr.NAME) {
            return "circuitBreaker";
        }
        return super.scanUnsafe(key);
    }
}
