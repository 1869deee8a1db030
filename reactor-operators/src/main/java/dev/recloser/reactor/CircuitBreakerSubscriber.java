package dev.recloser.reactor;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.NanoClock;
import java.util.concurrent.CancellationException;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;

/** The subscriber of {@link CircuitBreakerOperator}: one breaker permit per subscription. */
final class CircuitBreakerSubscriber<T> extends SettlingSubscriber<T> {

    /** The error a cancelled call is reported with under {@link CancelOutcome#FAILURE}: shared, stackless. */
    static final CancellationException CANCELLED_CALL = new CancelledCall();

    /**
     * Marks a call that is not timed. A real reading can equal it only once in 2^64 ns; such a call
     * is then reported with a duration of 0, which is harmless.
     */
    private static final long UNTIMED = Long.MIN_VALUE;

    private final CircuitBreaker breaker;
    private final long permit;
    private final NanoClock clock;
    private final long startNanos;
    private final CancelOutcome onCancel;

    private CircuitBreakerSubscriber(CoreSubscriber<? super T> actual, CircuitBreaker breaker, long permit,
                                     NanoClock clock, long startNanos, CancelOutcome onCancel, boolean mono) {
        super(actual, mono);
        this.breaker = breaker;
        this.permit = permit;
        this.clock = clock;
        this.startNanos = startNanos;
        this.onCancel = onCancel;
    }

    /** Takes a permit and subscribes to {@code source}, or rejects without subscribing to it. */
    static <T> void subscribe(CorePublisher<? extends T> source, CoreSubscriber<? super T> actual,
                              CircuitBreaker breaker, CancelOutcome onCancel, boolean mono) {
        // At most one clock reading per call on this side: the start of the call's duration, which
        // also serves the breaker's OPEN-wait check and the rejection's retry-after. When the breaker
        // wants no durations (no slow-call detection, no listener), a CLOSED breaker costs no clock
        // reading at all; the state peek keeps a rejection at one reading too.
        NanoClock clock = breaker.config().clock();
        boolean timed = breaker.wantsCallDurations();
        long startNanos = timed || breaker.state() != CircuitBreaker.State.CLOSED ? clock.nanoTime() : UNTIMED;
        long permit = startNanos == UNTIMED ? breaker.tryAcquirePermit() : breaker.tryAcquirePermit(startNanos);
        if (permit == CircuitBreaker.NO_PERMIT) {
            Operators.error(actual, startNanos == UNTIMED ? breaker.callNotPermitted() : breaker.callNotPermitted(startNanos));
            return;
        }
        CircuitBreakerSubscriber<T> subscriber = new CircuitBreakerSubscriber<>(actual, breaker, permit, clock,
                timed ? startNanos : UNTIMED, onCancel, mono);
        try {
            source.subscribe(subscriber);
        } catch (Throwable e) {
            if (subscriber.markSettled()) {
                subscriber.settleAbandoned();
            }
            Operators.reportThrowInSubscribe(actual, e);
        }
    }

    private long elapsedNanos() {
        return startNanos == UNTIMED ? 0L : clock.nanoTime() - startNanos;
    }

    @Override
    void settleValue(T value) {
        breaker.onResult(permit, elapsedNanos(), value);
    }

    @Override
    void settleComplete() {
        breaker.onSuccess(permit, elapsedNanos());
    }

    @Override
    void settleError(Throwable error) {
        breaker.onError(permit, elapsedNanos(), error);
    }

    @Override
    void settleCancel() {
        switch (onCancel) {
            case IGNORE -> breaker.releasePermit(permit);
            case SUCCESS -> breaker.onSuccess(permit, elapsedNanos());
            case FAILURE -> {
                try {
                    breaker.onError(permit, elapsedNanos(), CANCELLED_CALL);
                } catch (Throwable e) {
                    Operators.onErrorDropped(e, actual.currentContext());
                }
            }
        }
    }

    @Override
    void settleAbandoned() {
        breaker.releasePermit(permit);
    }

    @SuppressWarnings("rawtypes") // reactor-core declares scanUnsafe with the raw Attr type
    @Override
    public Object scanUnsafe(Attr key) {
        if (key == Attr.NAME) {
            return "circuitBreaker(" + breaker.name() + ")";
        }
        return super.scanUnsafe(key);
    }

    /** Stackless: it marks a cancellation, it does not describe where one happened. */
    static final class CancelledCall extends CancellationException {
        private static final long serialVersionUID = 1L;

        CancelledCall() {
            super("call cancelled by its subscriber");
        }

        @Override
        public Throwable fillInStackTrace() {
            return this;
        }
    }
}
