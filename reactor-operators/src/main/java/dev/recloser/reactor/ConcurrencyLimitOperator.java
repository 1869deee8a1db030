package dev.recloser.reactor;

import dev.recloser.core.limit.ConcurrencyLimiter;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Operators;

/**
 * Limits concurrent subscriptions with an adaptive {@link ConcurrencyLimiter}:
 * {@code mono.transform(ConcurrencyLimitOperator.of(limiter))}. A Mono stays a Mono.
 *
 * <p>Per subscription (one subscription is one call):
 * <ul>
 *   <li>A permit is taken when the subscriber subscribes; when the limit is reached the source is
 *       never subscribed and the subscriber receives {@code onSubscribe} then
 *       {@code onError(}{@link dev.recloser.core.limit.LimitExceededException}{@code )} at once (never a wait).</li>
 *   <li>The permit is settled exactly once, on the first of the Mono's value, completion, error or
 *       cancel, whatever races between them: a value or completion is a latency sample
 *       ({@code onSuccess}), or a drop if {@link #dropOnResult(Predicate)} says so; an error
 *       matching {@link #dropOn(Predicate)} (by default a {@link TimeoutException} in its cause
 *       chain) is a drop ({@code onDropped}); any other error and a cancel release the permit
 *       without a sample ({@code onIgnore}).</li>
 *   <li>Latency runs from subscription to that first signal, on the limiter's clock.</li>
 *   <li>If a predicate throws, the permit is released without a sample and the error goes through
 *       {@code Operators.onOperatorError} to the subscriber.</li>
 * </ul>
 * Place it outside a circuit breaker (as {@link Resilience#standard} does): the breaker's fast
 * rejections then end quickly as errors the limiter ignores, and a limiter rejection never counts as
 * a breaker failure. Immutable and thread-safe; one operator may be applied to any number of
 * publishers.
 *
 * @param <T> the element type
 */
public final class ConcurrencyLimitOperator<T> implements UnaryOperator<Publisher<T>> {

    private static final Predicate<Throwable> TIMEOUT = new Predicate<>() {
        @Override
        public boolean test(Throwable error) {
            Throwable t = error;
            for (int depth = 0; t != null && depth < 8; depth++) { // bounded: cause chains may loop
                if (t instanceof TimeoutException) {
                    return true;
                }
                t = t.getCause();
            }
            return false;
        }

        @Override
        public String toString() {
            return "TimeoutException in the cause chain";
        }
    };

    private final ConcurrencyLimiter limiter;
    private final Predicate<? super Throwable> dropOn;
    private final Predicate<Object> dropOnResult;

    private ConcurrencyLimitOperator(ConcurrencyLimiter limiter, Predicate<? super Throwable> dropOn,
                                     Predicate<Object> dropOnResult) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.dropOn = Objects.requireNonNull(dropOn, "dropOn");
        this.dropOnResult = dropOnResult;
    }

    /** An operator limiting concurrency with {@code limiter}; timeouts are drops, other errors ignored. */
    public static <T> ConcurrencyLimitOperator<T> of(ConcurrencyLimiter limiter) {
        return new ConcurrencyLimitOperator<>(limiter, TIMEOUT, null);
    }

    /**
     * A copy whose errors matching {@code dropOn} are drops (the algorithm backs off); the others
     * release the permit without a sample. Default: a {@link TimeoutException} in the cause chain.
     * Must be quick and thread-safe.
     */
    public ConcurrencyLimitOperator<T> dropOn(Predicate<? super Throwable> dropOn) {
        return new ConcurrencyLimitOperator<>(limiter, Objects.requireNonNull(dropOn, "dropOn"), dropOnResult);
    }

    /**
     * A copy whose Mono values matching {@code dropOnResult} are drops (e.g. an HTTP 503 response).
     * Default: none (every value is a success). Must be quick and thread-safe.
     */
    public ConcurrencyLimitOperator<T> dropOnResult(Predicate<Object> dropOnResult) {
        return new ConcurrencyLimitOperator<>(limiter, dropOn, Objects.requireNonNull(dropOnResult, "dropOnResult"));
    }

    /** The limiter this operator acquires from. */
    public ConcurrencyLimiter limiter() {
        return limiter;
    }

    @Override
    public Publisher<T> apply(Publisher<T> source) {
        return Lifted.lift(source, (src, actual, mono) -> subscribe(src, actual, this, mono),
                this::stepName, Scannable.Attr.RunStyle.SYNC);
    }

    /** The {@code Scannable} step name of the publisher and of its subscribers (never {@code Attr.NAME}). */
    String stepName() {
        return "concurrencyLimit(" + limiter.name() + ")";
    }

    static <T> void subscribe(CorePublisher<? extends T> source, CoreSubscriber<? super T> actual,
                              ConcurrencyLimitOperator<?> operator, boolean mono) {
        ConcurrencyLimiter limiter = operator.limiter;
        long permit = limiter.tryAcquire();
        if (permit == ConcurrencyLimiter.NO_PERMIT) {
            Operators.error(actual, limiter.limitExceeded());
            return;
        }
        LimitSubscriber<T> subscriber = new LimitSubscriber<>(actual, operator, permit, mono);
        try {
            source.subscribe(subscriber);
        } catch (Throwable e) {
            if (subscriber.markSettled()) {
                subscriber.settleAbandoned();
            }
            Operators.reportThrowInSubscribe(actual, e);
        }
    }

    /** Settles the limiter permit once, whatever the first of value, completion, error or cancel. */
    static final class LimitSubscriber<T> extends SettlingSubscriber<T> {
        private final ConcurrencyLimitOperator<?> operator;
        private final long permit;

        LimitSubscriber(CoreSubscriber<? super T> actual, ConcurrencyLimitOperator<?> operator, long permit,
                        boolean mono) {
            super(actual, mono);
            this.operator = operator;
            this.permit = permit;
        }

        @Override
        void settleValue(T value) {
            settleBy(operator.dropOnResult, value, true);
        }

        @Override
        void settleComplete() {
            operator.limiter.onSuccess(permit);
        }

        @Override
        void settleError(Throwable error) {
            settleBy(operator.dropOn, error, false);
        }

        /**
         * A drop when {@code dropWhen} accepts {@code signal}, else a success or an ignore; a
         * predicate that throws settles the permit as ignored first, so it is still settled once.
         */
        private <S> void settleBy(@Nullable Predicate<? super S> dropWhen, S signal, boolean otherwiseSuccess) {
            ConcurrencyLimiter limiter = operator.limiter;
            boolean drop;
            try {
                drop = dropWhen != null && dropWhen.test(signal);
            } catch (Throwable e) {
                limiter.onIgnore(permit);
                throw e;
            }
            if (drop) {
                limiter.onDropped(permit);
            } else if (otherwiseSuccess) {
                limiter.onSuccess(permit);
            } else {
                limiter.onIgnore(permit);
            }
        }

        @Override
        void settleCancel() {
            operator.limiter.onIgnore(permit);
        }

        @Override
        void settleAbandoned() {
            operator.limiter.onIgnore(permit);
        }

        @Override
        public String stepName() {
            return operator.stepName();
        }
    }

    @Override
    public String toString() {
        return "ConcurrencyLimitOperator{limiter=" + limiter.name() + ", dropOn=" + dropOn
                + ", dropOnResult=" + (dropOnResult == null ? "none" : dropOnResult) + '}';
    }
}
