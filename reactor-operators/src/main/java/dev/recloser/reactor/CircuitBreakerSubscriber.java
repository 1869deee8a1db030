package dev.recloser.reactor;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.internal.BreakerProtocol;
import java.util.concurrent.CancellationException;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;

/**
 * The subscriber of {@link CircuitBreakerOperator}: one breaker permit per subscription.
 *
 * <p>Allocated once per call, so it is kept small: the operator's settings (breaker, cancel
 * outcome) are reached through one reference to the operator, the clock through the breaker's
 * config, and the start time lives only in the {@link Timed} subclass, used when the breaker wants
 * call durations. An untimed subscriber is 40 bytes with compressed references (the permit fills
 * the rest of the line after {@link SettlingSubscriber}'s fields), a timed one 48.
 */
class CircuitBreakerSubscriber<T> extends SettlingSubscriber<T> {

    /** The error a cancelled call is reported with under {@link CancelOutcome#FAILURE}: shared, stackless. */
    static final CancellationException CANCELLED_CALL = new CancelledCall();

    /**
     * Marks a call that is not timed. A real reading can equal it only once in 2^64 ns; such a call
     * is then reported with a duration of 0, which is harmless.
     */
    private static final long UNTIMED = Long.MIN_VALUE;

    final CircuitBreakerOperator<?> operator;
    final long permit;

    CircuitBreakerSubscriber(CoreSubscriber<? super T> actual, CircuitBreakerOperator<?> operator, long permit,
                             boolean mono) {
        super(actual, mono);
        this.operator = operator;
        this.permit = permit;
    }

    /** A subscriber that also measures the call's duration. */
    static final class Timed<T> extends CircuitBreakerSubscriber<T> {
        private final long startNanos;

        Timed(CoreSubscriber<? super T> actual, CircuitBreakerOperator<?> operator, long permit, boolean mono,
              long startNanos) {
            super(actual, operator, permit, mono);
            this.startNanos = startNanos;
        }

        @Override
        long elapsedNanos() {
            return operator.breaker().config().clock().nanoTime() - startNanos;
        }
    }

    /** Takes a permit and subscribes to {@code source}, or rejects without subscribing to it. */
    static <T> void subscribe(CorePublisher<? extends T> source, CoreSubscriber<? super T> actual,
                              CircuitBreakerOperator<?> operator, boolean mono) {
        // At most one clock reading per call on this side: the start of the call's duration, which
        // also serves the breaker's OPEN-wait check and the rejection's retry-after. When the breaker
        // wants no durations (no slow-call detection, no listener), a CLOSED breaker costs no clock
        // reading at all; the state peek keeps a rejection at one reading too.
        // FORCED_OPEN and DISABLED need no time either (a forced-open fast fail reads no clock).
        CircuitBreaker breaker = operator.breaker();
        BreakerProtocol protocol = BreakerProtocol.of(breaker);
        boolean timed = protocol.wantsCallDurations();
        CircuitBreaker.State state = breaker.state();
        long startNanos = timed || state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.HALF_OPEN
                ? breaker.config().clock().nanoTime() : UNTIMED;
        long permit = startNanos == UNTIMED ? breaker.tryAcquirePermit() : protocol.tryAcquirePermit(startNanos);
        if (permit == CircuitBreaker.NO_PERMIT) {
            Operators.error(actual, startNanos == UNTIMED ? breaker.callNotPermitted() : protocol.callNotPermitted(startNanos));
            return;
        }
        CircuitBreakerSubscriber<T> subscriber = timed
                ? new Timed<>(actual, operator, permit, mono, startNanos)
                : new CircuitBreakerSubscriber<>(actual, operator, permit, mono);
        try {
            source.subscribe(subscriber);
        } catch (Throwable e) {
            if (subscriber.markSettled()) {
                subscriber.settleAbandoned();
            }
            Operators.reportThrowInSubscribe(actual, e);
        }
    }

    /** The call's duration so far; 0 for an untimed call (the breaker asked for no durations). */
    long elapsedNanos() {
        return 0L;
    }

    @Override
    final void settleValue(T value) {
        operator.breaker().onResult(permit, elapsedNanos(), value);
    }

    @Override
    final void settleComplete() {
        operator.breaker().onSuccess(permit, elapsedNanos());
    }

    @Override
    final void settleError(Throwable error) {
        operator.breaker().onError(permit, elapsedNanos(), error);
    }

    @Override
    final void settleCancel() {
        CircuitBreaker breaker = operator.breaker();
        switch (operator.cancelOutcome()) {
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
    final void settleAbandoned() {
        operator.breaker().releasePermit(permit);
    }

    @Override
    public String stepName() {
        return operator.stepName();
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
