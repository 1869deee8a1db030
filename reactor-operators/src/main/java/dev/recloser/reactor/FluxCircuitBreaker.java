package dev.recloser.reactor;

import dev.recloser.core.CircuitBreaker;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;

/** {@link CircuitBreakerOperator} applied to a Flux: the whole subscription is one call. */
final class FluxCircuitBreaker<T> extends FluxOperator<T, T> {

    private final CircuitBreaker breaker;
    private final CancelOutcome onCancel;

    FluxCircuitBreaker(Flux<? extends T> source, CircuitBreaker breaker, CancelOutcome onCancel) {
        super(source);
        this.breaker = breaker;
        this.onCancel = onCancel;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        CircuitBreakerSubscriber.subscribe(source, actual, breaker, onCancel, false);
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
