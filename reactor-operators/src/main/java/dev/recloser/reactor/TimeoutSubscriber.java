package dev.recloser.reactor;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Scannable;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import org.jspecify.annotations.Nullable;
import reactor.util.context.Context;

/**
 * The subscriber of {@link TimeoutOperator}.
 *
 * <p>Implementation notes. The timer fires on a scheduler thread while upstream signals arrive
 * on theirs, and the subscriber downstream must never see two signals at once. One int,
 * {@link #state}, serializes them: {@code onNext} sets {@link #IN_NEXT} around its delivery; a
 * timer that finds {@code IN_NEXT} set only leaves {@link #TIMEOUT} for the {@code onNext} thread,
 * which delivers the timeout error itself when it is done. {@link #DONE} is set, by CAS, by
 * whoever delivers the one terminal signal (completion, error, or timeout), so exactly one of them
 * goes downstream. With a per-element timeout each element bumps {@link #index}; a timer armed for
 * an older index does nothing. A timer that fires exactly as an element arrives may win: the
 * element arrived at the deadline, and either outcome is correct.
 *
 * <p>Installing a timer. The first timer is armed by the subscribing thread after
 * {@code actual.onSubscribe(this)} returns, while the first element may already be arriving on
 * another thread (a {@code publishOn} source emits as soon as it is requested), and that thread arms
 * the element's own timer. A timer is therefore installed only while its index is still current:
 * {@link #arm} installs by CAS on {@link #timer} and checks {@link #index} between its read of the
 * previous timer and the CAS, so a stale timer can never replace the timer of a later element
 * (arming before {@code actual.onSubscribe} instead would let a short timeout signal before
 * {@code onSubscribe}).
 *
 * <p>Cancel. Nothing reaches the subscriber once its cancel has been seen: a timeout left to the
 * {@code onNext} thread ({@link #TIMEOUT}) is dropped at the end of {@code onNext} if
 * {@link #CANCELLED} is set by then (the subscriber may cancel inside its {@code onNext}, as
 * {@code take(1)} does, or from another thread), and a timer that won the race for {@link #DONE}
 * checks {@link #CANCELLED} again after cancelling upstream, just before it signals. What is left is
 * a cancel issued after that last check, which the Reactive Streams rules allow to cross the
 * signal (rule 2.8).
 */
final class TimeoutSubscriber<T> implements CoreSubscriber<T>, Subscription, Scannable {

    static final int IN_NEXT = 1;
    static final int TIMEOUT = 2;
    static final int DONE = 4;
    static final int CANCELLED = 8;
    /** A Mono delivered its value: the call has its result, only completion may follow. */
    static final int VALUE = 16;

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<TimeoutSubscriber> STATE =
            AtomicIntegerFieldUpdater.newUpdater(TimeoutSubscriber.class, "state");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<TimeoutSubscriber, Disposable> TIMER =
            AtomicReferenceFieldUpdater.newUpdater(TimeoutSubscriber.class, Disposable.class, "timer");

    private final CoreSubscriber<? super T> actual;
    private final Scheduler scheduler;
    private final Duration timeout;
    private final long timeoutNanos;
    private final boolean perElement;
    private final boolean mono;

    private Subscription s;
    volatile int state;
    volatile long index;
    volatile Disposable timer;

    TimeoutSubscriber(CoreSubscriber<? super T> actual, Scheduler scheduler, Duration timeout, long timeoutNanos,
                      boolean perElement, boolean mono) {
        this.actual = actual;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.timeoutNanos = timeoutNanos;
        this.perElement = perElement;
        this.mono = mono;
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (Operators.validate(this.s, s)) {
            this.s = s;
            actual.onSubscribe(this);
            // A source may already have delivered elements, from inside actual.onSubscribe (a
            // synchronous first request) or on its own thread, and each of them armed its own timer.
            // The check saves scheduling a timer that is already stale; arm() itself makes sure a
            // stale timer never replaces a current one, whatever the interleaving.
            if (index == 0L) {
                arm(0L);
            }
        }
    }

    /**
     * Schedules the timer for element {@code forIndex} and installs it in place of (and disposing)
     * the previous one, unless a later element has arrived meanwhile: then the new timer is stale
     * and is disposed instead.
     */
    private void arm(long forIndex) {
        if ((state & DONE) != 0) {
            return;
        }
        Disposable next;
        try {
            next = scheduler.schedule(() -> fire(forIndex), timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            if (markDone()) {
                s.cancel();
                actual.onError(Operators.onRejectedExecution(e, actual.currentContext()));
            }
            return;
        }
        for (;;) {
            Disposable previous = timer;
            // Ordering: 'index' is read after 'timer'. onNext writes 'index' (volatile) before it
            // arms the element's timer, so if 'previous' is the timer of a later element, this read
            // sees that element's index and the stale timer is dropped; and if a later element's
            // timer is installed after our read of 'timer', the CAS below fails and we look again.
            if (index != forIndex) {
                next.dispose();
                return;
            }
            if (TIMER.compareAndSet(this, previous, next)) {
                if (previous != null) {
                    previous.dispose();
                }
                break;
            }
        }
        // Ordering: the CAS on 'timer' above, then this read of 'state', against a terminal
        // signal's CAS on 'state' then its read of 'timer' in disarm(): at least one of the two
        // sees the other, so the timer is always disposed by someone.
        if ((state & DONE) != 0) {
            // Terminated while we armed: nobody else will dispose this timer.
            next.dispose();
        }
    }

    private void disarm() {
        Disposable t = timer;
        if (t != null) {
            t.dispose();
        }
    }

    /** Runs on the scheduler when the time is up. */
    private void fire(long forIndex) {
        if (forIndex != index) {
            return; // an element arrived since this timer was armed
        }
        for (;;) {
            int current = state;
            if ((current & (DONE | VALUE)) != 0) {
                return; // terminated, or a Mono already has its value: too late for a timeout
            }
            if ((current & IN_NEXT) != 0) {
                if (STATE.compareAndSet(this, current, current | TIMEOUT)) {
                    return; // the onNext thread delivers the timeout when it leaves onNext
                }
            } else if (STATE.compareAndSet(this, current, current | DONE)) {
                deliverTimeout();
                return;
            }
        }
    }

    /** Called by whoever set DONE for the timeout (the timer, or the onNext thread it left it to). */
    private void deliverTimeout() {
        s.cancel();
        // Ordering: a volatile read of 'state' after our CAS set DONE and after upstream's cancel,
        // which may take a while: a cancel() whose CAS came before this read is seen here, and the
        // subscriber that cancelled gets nothing. A cancel after this read is a true race with the
        // signal (Reactive Streams rule 2.8).
        if ((state & CANCELLED) != 0) {
            return;
        }
        actual.onError(new AttemptTimeoutException(timeout, perElement));
    }

    private boolean markDone() {
        for (;;) {
            int current = state;
            if ((current & DONE) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, current, current | DONE)) {
                return true;
            }
        }
    }

    @Override
    public void onNext(T t) {
        for (;;) {
            int current = state;
            if ((current & DONE) != 0) {
                Operators.onDiscard(t, actual.currentContext()); // timed out or cancelled: upstream is being cancelled
                return;
            }
            // A Mono's value ends the race with the timer here: VALUE is set in the same CAS.
            if (STATE.compareAndSet(this, current, current | IN_NEXT | (mono ? VALUE : 0))) {
                break;
            }
        }
        long next = 0L;
        if (perElement) {
            next = index + 1;
            index = next; // only this (serialized) thread writes index; timers compare against it
        }
        actual.onNext(t);
        for (;;) {
            int current = state;
            // The timer fired during onNext and left the timeout to us; it is not delivered if the
            // subscriber cancelled meanwhile (inside its onNext, or from another thread): cancel()
            // set CANCELLED in the same word, so this read sees it whenever its CAS came first, and
            // a cancel after our CAS below is a race the signal may win (see deliverTimeout).
            if ((current & (TIMEOUT | CANCELLED)) == TIMEOUT) {
                if (STATE.compareAndSet(this, current, (current & ~IN_NEXT) | DONE)) {
                    deliverTimeout();
                    return;
                }
            } else if (STATE.compareAndSet(this, current, current & ~IN_NEXT)) {
                break;
            }
        }
        if (perElement) {
            arm(next);
        }
    }

    @Override
    public void onError(Throwable t) {
        if (!markDone()) {
            Operators.onErrorDropped(t, actual.currentContext());
            return;
        }
        disarm();
        actual.onError(t);
    }

    @Override
    public void onComplete() {
        if (!markDone()) {
            return;
        }
        disarm();
        actual.onComplete();
    }

    @Override
    public void request(long n) {
        s.request(n);
    }

    @Override
    public void cancel() {
        for (;;) {
            int current = state;
            if ((current & CANCELLED) != 0) {
                return;
            }
            if (STATE.compareAndSet(this, current, current | CANCELLED | DONE)) {
                break;
            }
        }
        disarm();
        s.cancel();
    }

    @Override
    public Context currentContext() {
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
            return (state & (DONE | CANCELLED)) == DONE;
        }
        if (key == Attr.CANCELLED) {
            return (state & CANCELLED) != 0;
        }
        if (key == Attr.RUN_ON) {
            return scheduler;
        }
        if (key == Attr.RUN_STYLE) {
            return Attr.RunStyle.ASYNC;
        }
        return null; // no NAME: only the user's .name(...) sets it (see Lifted)
    }

    @Override
    public String stepName() {
        return TimeoutOperator.stepName(timeout, perElement);
    }
}
