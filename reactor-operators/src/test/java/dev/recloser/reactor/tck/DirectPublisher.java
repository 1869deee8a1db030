package dev.recloser.reactor.tck;

import java.util.Objects;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;

/**
 * Hands the TCK's subscribers to a guarded publisher as {@link CoreSubscriber}s, as an operator
 * downstream in a Reactor chain would subscribe.
 *
 * <p>Why: {@code Flux.subscribe(Subscriber)} wraps a subscriber that is not a {@code CoreSubscriber}
 * in reactor-core's {@code StrictSubscriber}, which serializes the signals, holds back requests
 * made inside {@code onSubscribe} and turns a bad request into {@code onError}. Through that
 * wrapper the TCK would mostly be checking reactor-core; through this one it sees exactly what the
 * operator signals.
 *
 * <p>What reactor-core relaxes for a {@code CoreSubscriber} (see its javadoc) is left relaxed
 * here, and made up for the way a Reactor subscriber must: requests made inside
 * {@code onSubscribe} are passed on once {@code onSubscribe} has returned (relaxed rule 1.3: an
 * asynchronous source may otherwise signal {@code onNext} on its thread while {@code onSubscribe}
 * is still running), and a request of zero or less is passed on as it is (relaxed rule 3.9; see
 * {@link GuardVerification} for how that rule is tested).
 */
final class DirectPublisher<T> implements Publisher<T> {

    private final CorePublisher<T> guarded;

    DirectPublisher(CorePublisher<T> guarded) {
        this.guarded = Objects.requireNonNull(guarded, "guarded");
    }

    @Override
    public void subscribe(Subscriber<? super T> subscriber) {
        guarded.subscribe(new Forwarding<>(Objects.requireNonNull(subscriber, "subscriber")));
    }

    /** Passes every signal on as it comes: no serialization, no request checks, empty context. */
    private static final class Forwarding<T> implements CoreSubscriber<T> {
        private final Subscriber<? super T> actual;

        Forwarding(Subscriber<? super T> actual) {
            this.actual = actual;
        }

        @Override
        public void onSubscribe(Subscription s) {
            HeldDuringOnSubscribe held = new HeldDuringOnSubscribe(s);
            actual.onSubscribe(held);
            held.release();
        }

        @Override
        public void onNext(T t) {
            actual.onNext(t);
        }

        @Override
        public void onError(Throwable t) {
            actual.onError(t);
        }

        @Override
        public void onComplete() {
            actual.onComplete();
        }
    }

    /** Holds back requests and cancel until {@link #release()}, then passes everything on directly. */
    private static final class HeldDuringOnSubscribe implements Subscription {
        private final Subscription s;
        private boolean released;
        private long requested;
        private boolean cancelled;

        HeldDuringOnSubscribe(Subscription s) {
            this.s = s;
        }

        @Override
        public void request(long n) {
            synchronized (this) {
                if (!released && n > 0) {
                    requested = requested + n < 0 ? Long.MAX_VALUE : requested + n;
                    return;
                }
            }
            s.request(n);
        }

        @Override
        public void cancel() {
            synchronized (this) {
                if (!released) {
                    cancelled = true;
                    return;
                }
            }
            s.cancel();
        }

        void release() {
            long r;
            boolean c;
            synchronized (this) {
                released = true;
                r = requested;
                c = cancelled;
            }
            if (c) {
                s.cancel();
            } else if (r != 0L) {
                s.request(r);
            }
        }
    }
}
