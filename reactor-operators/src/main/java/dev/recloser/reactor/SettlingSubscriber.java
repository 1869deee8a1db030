package dev.recloser.reactor;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Operators;
import org.jspecify.annotations.Nullable;
import reactor.util.context.Context;

/**
 * A pass-through subscriber that holds one permit (of a breaker or a bulkhead) and settles it
 * exactly once: on the value of a Mono, on completion, on error, or on cancel, whichever comes
 * first.
 *
 * <p>Implementation notes. Signals from upstream ({@code onNext}, {@code onError},
 * {@code onComplete}) are serialized by the Reactive Streams rules, so {@link #done} is a plain
 * field, as in reactor-core's operators. {@code cancel} may race with any of them from another
 * thread, so who settles the permit is decided by one compare-and-set on {@link #state}: the
 * first to set {@link #SETTLED} reports, everyone else does nothing. The CAS is a full fence, so
 * the settling thread sees the permit and start time written before the subscription started.
 *
 * @param <T> the element type
 */
abstract class SettlingSubscriber<T> implements CoreSubscriber<T>, Subscription, Scannable {

    /** The permit has been settled (an outcome reported or a release made). */
    static final int SETTLED = 1;
    /** Downstream cancelled. */
    static final int CANCELLED = 2;

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<SettlingSubscriber> STATE =
            AtomicIntegerFieldUpdater.newUpdater(SettlingSubscriber.class, "state");

    final CoreSubscriber<? super T> actual;
    final boolean mono;
    Subscription s;
    boolean done;
    volatile int state;

    SettlingSubscriber(CoreSubscriber<? super T> actual, boolean mono) {
        this.actual = actual;
        this.mono = mono;
    }

    /** Marks the permit settled; true for the one caller that must settle it. */
    final boolean markSettled() {
        for (;;) {
            int current = state;
            if ((current & SETTLED) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, current, current | SETTLED)) {
                return true;
            }
        }
    }

    /** Marks cancelled (and settled); returns the previous state. */
    private int markCancelled() {
        for (;;) {
            int current = state;
            if ((current & CANCELLED) != 0) {
                return current;
            }
            if (STATE.compareAndSet(this, current, current | CANCELLED | SETTLED)) {
                return current;
            }
        }
    }

    /** The value of a Mono arrived first: settle on it. Throws what a classifier throws (permit released). */
    abstract void settleValue(T value);

    /** Completion arrived first. */
    abstract void settleComplete();

    /** An error arrived first. Throws what a classifier throws (permit released). */
    abstract void settleError(Throwable error);

    /** Cancel arrived first. Must not throw. */
    abstract void settleCancel();

    /** Settles without an outcome when subscribing to the source threw. */
    abstract void settleAbandoned();

    @Override
    public final void onSubscribe(Subscription s) {
        if (Operators.validate(this.s, s)) {
            this.s = s;
            actual.onSubscribe(this);
        }
    }

    @Override
    public final void onNext(T t) {
        if (done) {
            Operators.onNextDropped(t, actual.currentContext());
            return;
        }
        if (mono && markSettled()) {
            // Settle before passing the value on, so that a downstream reaction (a retry, a next
            // call) already sees the breaker's updated state.
            try {
                settleValue(t);
            } catch (Throwable e) {
                done = true;
                actual.onError(Operators.onOperatorError(s, e, t, actual.currentContext()));
                return;
            }
        }
        actual.onNext(t);
    }

    @Override
    public final void onError(Throwable t) {
        if (done) {
            Operators.onErrorDropped(t, actual.currentContext());
            return;
        }
        done = true;
        Throwable signalled = t;
        if (markSettled()) {
            try {
                settleError(t);
            } catch (Throwable e) {
                // The classifier failed: report its error, with the call's error attached as suppressed.
                signalled = Operators.onOperatorError(null, e, t, actual.currentContext());
            }
        }
        actual.onError(signalled);
    }

    @Override
    public final void onComplete() {
        if (done) {
            return;
        }
        done = true;
        if (markSettled()) {
            settleComplete();
        }
        actual.onComplete();
    }

    @Override
    public final void request(long n) {
        s.request(n);
    }

    @Override
    public final void cancel() {
        int previous = markCancelled();
        if ((previous & CANCELLED) != 0) {
            return;
        }
        if ((previous & SETTLED) == 0) {
            settleCancel();
        }
        s.cancel();
    }

    @Override
    public final Context currentContext() {
        return actual.currentContext();
    }

    @SuppressWarnings("rawtypes") // reactor-core declares scanUnsafe with the raw Attr type
    @Override
    @Nullable
    public Object scanUnsafe(Attr key) {
        if (key == Attr.PARENT) {
            return s;
        }
        if (key == Attr.ACTUAL) {
            return actual;
        }
        if (key == Attr.TERMINATED) {
            return done;
        }
        if (key == Attr.CANCELLED) {
            return (state & CANCELLED) != 0;
        }
        if (key == Attr.RUN_STYLE) {
            return Attr.RunStyle.SYNC;
        }
        return null;
    }
}
