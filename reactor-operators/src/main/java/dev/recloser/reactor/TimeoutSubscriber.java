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
            // A synchronous source may already have delivered elements from inside
            // actual.onSubscribe (its first request); each of them armed its own timer, and arming
            // the first one now would replace theirs with a stale one that never fires.
            if (index == 0L) {
                arm(0L);
            }
        }
    }

    /** Schedules the timer for element {@code forIndex}, replacing (and disposing) the previous one. */
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
        Disposable previous = TIMER.getAndSet(this, next);
        if (previous != null) {
            previous.dispose();
        }
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

    private void deliverTimeout() {
        s.cancel();
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
            if ((current & TIMEOUT) != 0) {
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
