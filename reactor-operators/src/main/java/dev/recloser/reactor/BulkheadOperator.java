package dev.recloser.reactor;

import dev.recloser.core.Bulkhead;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;

/**
 * Limits concurrent subscriptions with a {@link Bulkhead}:
 * {@code mono.transform(BulkheadOperator.of(bulkhead))}. A Mono stays a Mono.
 *
 * <p>A permit is taken when the subscriber subscribes; when none is free the source is never
 * subscribed and the subscriber receives {@code onSubscribe} then
 * {@code onError(BulkheadFullException)} at once (never a wait, never a blocked thread). The permit
 * is released exactly once, on the first of the Mono's value, completion, error or cancel. Placed
 * outside a circuit breaker, a rejection never reaches the breaker, so it never counts as a
 * failure. Immutable and thread-safe.
 *
 * @param <T> the element type
 */
public final class BulkheadOperator<T> implements UnaryOperator<Publisher<T>> {

    private final Bulkhead bulkhead;

    private BulkheadOperator(Bulkhead bulkhead) {
        this.bulkhead = Objects.requireNonNull(bulkhead, "bulkhead");
    }

    /** An operator limiting concurrency with {@code bulkhead}. */
    public static <T> BulkheadOperator<T> of(Bulkhead bulkhead) {
        return new BulkheadOperator<>(bulkhead);
    }

    @Override
    public Publisher<T> apply(Publisher<T> source) {
        return Lifted.lift(source, (src, actual, mono) -> subscribe(src, actual, bulkhead, mono),
                this::stepName, reactor.core.Scannable.Attr.RunStyle.SYNC);
    }

    /** The {@code Scannable} step name of the publisher and of its subscribers (never {@code Attr.NAME}). */
    String stepName() {
        return stepName(bulkhead);
    }

    private static String stepName(Bulkhead bulkhead) {
        return "bulkhead(" + bulkhead.name() + ")";
    }

    static <T> void subscribe(reactor.core.CorePublisher<? extends T> source, CoreSubscriber<? super T> actual,
                              Bulkhead bulkhead, boolean mono) {
        if (!bulkhead.tryAcquire()) {
            Operators.error(actual, bulkhead.fullException());
            return;
        }
        BulkheadSubscriber<T> subscriber = new BulkheadSubscriber<>(actual, bulkhead, mono);
        try {
            source.subscribe(subscriber);
        } catch (Throwable e) {
            if (subscriber.markSettled()) {
                subscriber.settleAbandoned();
            }
            Operators.reportThrowInSubscribe(actual, e);
        }
    }

    /** Releases the bulkhead permit once, whatever the first of value, completion, error or cancel. */
    static final class BulkheadSubscriber<T> extends SettlingSubscriber<T> {
        private final Bulkhead bulkhead;

        BulkheadSubscriber(CoreSubscriber<? super T> actual, Bulkhead bulkhead, boolean mono) {
            super(actual, mono);
            this.bulkhead = bulkhead;
        }

        @Override
        void settleValue(T value) {
            bulkhead.release();
        }

        @Override
        void settleComplete() {
            bulkhead.release();
        }

        @Override
        void settleError(Throwable error) {
            bulkhead.release();
        }

        @Override
        void settleCancel() {
            bulkhead.release();
        }

        @Override
        void settleAbandoned() {
            bulkhead.release();
        }

        @Override
        public String stepName() {
            return BulkheadOperator.stepName(bulkhead);
        }
    }
}
