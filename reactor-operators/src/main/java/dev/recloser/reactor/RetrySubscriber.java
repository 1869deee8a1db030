package dev.recloser.reactor;

import dev.recloser.core.NanoClock;
import dev.recloser.core.retry.RetryBudget;
import dev.recloser.core.retry.RetryExhaustedException;
import dev.recloser.core.retry.RetryListener;
import dev.recloser.core.retry.RetryPolicy;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.Scannable;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import org.jspecify.annotations.Nullable;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.context.Context;

/**
 * The subscription {@link RetryOperator} gives downstream: one per downstream subscription, holding
 * that subscription's retry state (attempts, previous delay, start time, earlier errors). Each
 * attempt subscribes a fresh {@link Attempt} to the source; the demand carries over through
 * {@link RetryArbiter}.
 *
 * @param <T> the element type
 */
final class RetrySubscriber<T> extends RetryArbiter implements Runnable, Scannable {

    /*
     * Implementation notes.
     *
     * Threads. Signals of one attempt are serialized by the Reactive Streams rules, and an attempt
     * starts only after the previous one ended (it terminated, or it produced a Mono value to retry,
     * after which it is cancelled and its late signals are dropped by its own 'done' flag). So the
     * retry state below is plain: each step happens-after the previous one through the chain
     * "attempt signal -> retry decision -> scheduler.schedule / the handshake on 'state' / the
     * 'resubscribeWip' increment -> re-subscription -> next attempt's signals".
     *
     * Re-subscription runs in a trampoline (resubscribe): a synchronous source that fails at once
     * with a zero delay would otherwise recurse subscribe -> onError -> subscribe ... once per
     * attempt. The thread that takes 'resubscribeWip' from 0 subscribes; a re-subscription requested
     * meanwhile (from inside that subscribe, or from a timer on another thread) only increments it,
     * and the holder loops.
     *
     * 'state' packs the flags that several threads race on:
     *   CANCELLED  downstream cancelled (set once, by cancel(); wins over everything else);
     *   TERMINATED a terminal signal went downstream;
     *   ARMED      the thread that scheduled the retry timer has published the timer's Disposable;
     *   FIRED      the timer ran before that publication.
     * ARMED/FIRED are a two-party handshake for one pending retry: the timer may run on a scheduler
     * thread before schedule() has even returned to the thread that called it. Whichever of the two
     * arrives second (its CAS finds the other's bit) clears the bit and re-subscribes, so the next
     * retry's timer can never be stored before, and then overwritten by, the previous one, and cancel
     * always finds the pending timer in 'timer'.
     *
     * Cancel vs. a pending retry (a Dekker pattern on volatile fields): cancel() sets CANCELLED and
     * then reads 'timer'; the scheduling thread writes 'timer' and then reads 'state' in its CAS.
     * With volatile accesses at least one sees the other: cancel disposes the timer, or the
     * scheduling thread sees CANCELLED and disposes it (both may: dispose is idempotent). The timer
     * task itself re-reads CANCELLED before subscribing, and a subscription that gets through in the
     * instant before cancel is cancelled by the arbiter as soon as it arrives (set()). So after
     * cancel() returns, at most the one re-subscription already past its check may still reach the
     * source, and it is cancelled at once; nothing is scheduled any more.
     *
     * Listener (only when one is set: without one, 'listener' is null and every hook is skipped
     * after a null check). REPORTED in 'state' makes "the call finished" and "the call was
     * cancelled" mutually exclusive and each at most once: whoever sets it by CAS reports. The
     * finishing side (a terminal signal, or a Mono's value) sets it only while CANCELLED is clear;
     * cancel() sets it after its own CAS set CANCELLED. Both CASes are on the same word, so exactly
     * one of the two wins, whatever the interleaving: a terminal signal racing a cancel is reported
     * either as finished (it came first; the signal still goes downstream, as before) or as
     * cancelled (the signal may still go downstream, but is not reported). The bit is independent of
     * the others: every other CAS only sets or clears its own bits. The finishing side reads the
     * plain retry state (it is on the signal path); cancel() may run on any thread, so the number
     * of attempts it reports comes from 'attemptsStarted', written with release semantics after
     * each re-subscription's increment (only when a listener is set). Retry and budget events are
     * reported from the signal path where they are decided; a concurrent cancel may overtake them.
     */

    /** Most earlier errors kept for {@link RetryExhaustedException#getSuppressed()}: bounds memory on long retry runs. */
    static final int MAX_EARLIER_ERRORS = 16;

    static final int CANCELLED = 1;
    static final int TERMINATED = 2;
    static final int ARMED = 4;
    static final int FIRED = 8;
    /** The call's end (finished or cancelled) was reported to the listener; see the notes. */
    static final int REPORTED = 16;

    private static final Logger LOG = Loggers.getLogger(RetryOperator.class);

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<RetrySubscriber> STATE =
            AtomicIntegerFieldUpdater.newUpdater(RetrySubscriber.class, "state");
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<RetrySubscriber> RESUBSCRIBE_WIP =
            AtomicIntegerFieldUpdater.newUpdater(RetrySubscriber.class, "resubscribeWip");
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<RetrySubscriber> ATTEMPTS_STARTED =
            AtomicIntegerFieldUpdater.newUpdater(RetrySubscriber.class, "attemptsStarted");

    private final CorePublisher<? extends T> source;
    private final CoreSubscriber<? super T> actual;
    private final RetryPolicy policy;
    private final NanoClock clock;
    private final Scheduler scheduler;
    @Nullable
    private final RetryBudget budget;
    private final boolean resetAttemptsOnNext;
    private final boolean mono;
    /** maxAttempts 1: the operator never retries, so it never wraps (see RetryOperator). */
    private final boolean retries;
    /** Null when the operator has no listener ({@link RetryListener#NONE}): every hook is skipped. */
    @Nullable
    private final RetryListener listener;

    // Retry state of this subscription (see the notes: plain, handed from attempt to attempt).
    /** Attempts started (source subscriptions); the current attempt's number. */
    private int attempts;
    private long previousDelayNanos;
    private long startNanos;
    /** The most recent errors of earlier attempts, oldest first; created on the first retried error. */
    @Nullable
    private ArrayDeque<Throwable> earlierErrors;
    /** Values delivered by the current attempt, not yet subtracted from the arbiter's demand. */
    private long produced;
    /** The current attempt delivered a value: with resetAttemptsOnNext, its failure starts a new count. */
    private boolean progressed;
    /** Attempts of the sequences before the current one (resetAttemptsOnNext): the listener never resets. */
    private long attemptsBeforeSequence;

    volatile int state;
    volatile int resubscribeWip;
    /** The timer of the pending (or last) retry; see the notes for its publication. */
    @Nullable
    volatile Disposable timer;
    /** Attempts started, for cancel() on any thread; written only when a listener is set (see the notes). */
    volatile int attemptsStarted;

    RetrySubscriber(CorePublisher<? extends T> source, CoreSubscriber<? super T> actual, RetryPolicy policy,
                    Scheduler scheduler, @Nullable RetryBudget budget, boolean resetAttemptsOnNext, boolean mono,
                    @Nullable RetryListener listener) {
        this.source = source;
        this.actual = actual;
        this.policy = policy;
        this.clock = policy.clock();
        this.scheduler = scheduler;
        this.budget = budget;
        this.resetAttemptsOnNext = resetAttemptsOnNext;
        this.mono = mono;
        this.retries = policy.maxAttempts() > 1;
        this.listener = listener;
    }

    /** Starts the first attempt; called once, after {@code actual.onSubscribe(this)}. */
    void start() {
        if (isCancelled()) {
            return;
        }
        try {
            startNanos = clock.nanoTime();
            if (budget != null) {
                budget.recordCall();
            }
        } catch (Throwable e) {
            terminate(Operators.onOperatorError(e, actual.currentContext()));
            return;
        }
        resubscribe();
    }

    /** The retry timer: re-subscribes, unless the scheduling thread still has to publish the timer (see notes). */
    @Override
    public void run() {
        for (;;) {
            int s = state;
            if ((s & CANCELLED) != 0) {
                return;
            }
            if ((s & ARMED) != 0) {
                if (STATE.compareAndSet(this, s, s & ~ARMED)) {
                    resubscribe();
                    return;
                }
            } else if (STATE.compareAndSet(this, s, s | FIRED)) {
                return; // the scheduling thread re-subscribes once it has published the timer
            }
        }
    }

    private void resubscribe() {
        if (RESUBSCRIBE_WIP.getAndIncrement(this) != 0) {
            return;
        }
        int missed = 1;
        do {
            if (isCancelled()) {
                // Leave the counter raised: nothing may subscribe any more.
                return;
            }
            long p = produced;
            if (p != 0L) {
                produced = 0L;
                produced(p);
            }
            attempts++;
            progressed = false;
            if (listener != null) {
                ATTEMPTS_STARTED.lazySet(this, totalAttempts());
            }
            Attempt<T> attempt = new Attempt<>(this);
            try {
                source.subscribe(attempt);
            } catch (Throwable e) {
                // A publisher that throws instead of signalling: treat it as this attempt's error.
                Operators.reportThrowInSubscribe(attempt, e);
            }
            missed = RESUBSCRIBE_WIP.addAndGet(this, -missed);
        } while (missed != 0);
    }

    // ---- signals of the current attempt (serialized) ----

    void attemptNext(Attempt<T> attempt, T value) {
        if (isCancelled()) {
            // Downstream cancelled: an attempt racing the cancel (it is being cancelled too) may
            // still deliver; nothing goes to a subscriber that cancelled.
            attempt.done = true;
            Operators.onDiscard(value, actual.currentContext());
            return;
        }
        if (mono && retries) {
            boolean retryable;
            try {
                retryable = policy.isRetryableResult(value);
            } catch (Throwable e) {
                attempt.done = true;
                Throwable reported = Operators.onOperatorError(attempt.s, e, value, actual.currentContext());
                Operators.onDiscard(value, actual.currentContext());
                terminate(reported);
                return;
            }
            if (retryable) {
                // The attempt is over: its value is a failure. A Mono sends nothing after its value
                // but onComplete, which 'done' drops. The attempt is cancelled only once a retry is
                // decided: on exhaustion the value goes to the subscriber inside the exception, and a
                // cancel could make its source dispose it (Spring's connector drains a response's
                // body on a cancel that follows the response).
                attempt.done = true;
                onFailure(null, value, attempt);
                return;
            }
        }
        if (resetAttemptsOnNext) {
            progressed = true;
        }
        produced++;
        if (mono && listener != null) {
            reportFinished(listener, true); // a Mono's value is its result: the call has succeeded
        }
        actual.onNext(value);
    }

    void attemptError(Throwable error) {
        if (isCancelled()) {
            // Downstream no longer listens; the error is most often a consequence of the cancel.
            return;
        }
        if (Exceptions.isJvmFatal(error) || !retries) {
            terminate(error);
            return;
        }
        boolean retryable;
        try {
            retryable = policy.isRetryable(error);
        } catch (Throwable e) {
            terminate(Operators.onOperatorError(null, e, error, actual.currentContext()));
            return;
        }
        if (!retryable) {
            terminate(error);
            return;
        }
        onFailure(error, error, null);
    }

    void attemptComplete() {
        if (isCancelled()) {
            return; // as in attemptError: downstream no longer listens
        }
        if (markTerminated()) {
            if (listener != null) {
                reportFinished(listener, true);
            }
            actual.onComplete();
        }
    }

    /**
     * A retryable failure of the current attempt: {@code error}, or (error null) the Mono value
     * {@code failure} that retryOnResult matched. Decides between a retry and exhaustion. A value is
     * discarded when it is retried or dropped; on exhaustion it travels in the exception instead.
     */
    private void onFailure(@Nullable Throwable error, Object failure, @Nullable Attempt<T> valueAttempt) {
        if (isCancelled()) {
            discardResult(error, failure);
            return;
        }
        int n;
        long delayNanos;
        boolean budgetRefused = false;
        try {
            if (progressed) {
                // resetAttemptsOnNext: the attempt made progress, so it is the first of a new sequence.
                progressed = false;
                attemptsBeforeSequence += attempts - 1; // the current attempt becomes the new sequence's first
                attempts = 1;
                previousDelayNanos = 0L;
                earlierErrors = null;
                startNanos = clock.nanoTime();
                if (budget != null) {
                    budget.recordCall();
                }
            }
            n = attempts;
            delayNanos = policy.nextDelayNanos(n, previousDelayNanos, failure, clock.nanoTime() - startNanos);
            if (delayNanos >= 0L && budget != null && !budget.tryAcquireRetry()) {
                delayNanos = RetryPolicy.STOP;
                budgetRefused = true;
            }
        } catch (Throwable e) {
            // A delay hint, the random source or a clock threw: report it, with the error suppressed.
            Throwable reported = Operators.onOperatorError(null, e, failure, actual.currentContext());
            discardResult(error, failure);
            terminate(reported);
            return;
        }
        if (delayNanos < 0L) {
            if (budgetRefused && listener != null) {
                budgetRejected(listener);
            }
            terminate(exhausted(n, error, failure));
            return;
        }
        if (error != null) {
            rememberEarlier(error);
        } else {
            // Discard first, then cancel: a source that frees its value itself when cancelled after
            // emitting it (Spring's Reactor connector drains a response's body unless it is already
            // being read) then finds the value released and does nothing, so the value is freed
            // exactly once. The other way round, the discard hook would read a drained body a second
            // time (Reactor Netty rejects a second receiver, reported as a dropped error).
            discardResult(null, failure);
            if (valueAttempt != null) {
                valueAttempt.cancelUpstream(); // retrying: let a lazy source stop early
            }
        }
        previousDelayNanos = delayNanos;
        if (listener != null) {
            retryScheduled(listener, saturatedInt(attemptsBeforeSequence + n + 1L), delayNanos);
        }
        if (delayNanos == 0L) {
            resubscribe();
        } else {
            schedule(delayNanos, error);
        }
    }

    private void discardResult(@Nullable Throwable error, Object failure) {
        if (error == null) {
            Operators.onDiscard(failure, actual.currentContext());
        }
    }

    private void schedule(long delayNanos, @Nullable Throwable error) {
        Disposable d;
        try {
            d = scheduler.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            terminate(Operators.onRejectedExecution(e, null, error, null, actual.currentContext()));
            return;
        }
        // Publication point of the timer: this volatile write before the CAS below pairs with
        // cancel()'s CAS on 'state' before its read of 'timer' (see the notes).
        timer = d;
        for (;;) {
            int s = state;
            if ((s & CANCELLED) != 0) {
                d.dispose();
                return;
            }
            if ((s & FIRED) != 0) {
                if (STATE.compareAndSet(this, s, s & ~FIRED)) {
                    resubscribe(); // the timer ran before we got here and left the work to us
                    return;
                }
            } else if (STATE.compareAndSet(this, s, s | ARMED)) {
                return;
            }
        }
    }

    private RetryExhaustedException exhausted(int n, @Nullable Throwable error, Object failure) {
        List<Throwable> earlier = earlierErrors == null ? List.of() : List.copyOf(earlierErrors);
        earlierErrors = null;
        return error != null
                ? new RetryExhaustedException(n, error, earlier)
                : RetryExhaustedException.ofResult(n, failure, earlier);
    }

    private void rememberEarlier(Throwable error) {
        ArrayDeque<Throwable> errors = earlierErrors;
        if (errors == null) {
            errors = new ArrayDeque<>(4);
            earlierErrors = errors;
        } else if (errors.size() == MAX_EARLIER_ERRORS) {
            errors.pollFirst();
        }
        errors.addLast(error);
    }

    private void terminate(Throwable error) {
        if (markTerminated()) {
            if (listener != null) {
                reportFinished(listener, false);
            }
            actual.onError(error);
        } else {
            Operators.onErrorDropped(error, actual.currentContext());
        }
    }

    private boolean markTerminated() {
        for (;;) {
            int s = state;
            if ((s & TERMINATED) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s | TERMINATED)) {
                return true;
            }
        }
    }

    // ---- listener (only called when one is set; see the notes) ----

    /** Attempts made for this call, resets included; read on the signal path. */
    private int totalAttempts() {
        return saturatedInt(attemptsBeforeSequence + attempts);
    }

    private static int saturatedInt(long n) {
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** Reports the call's end, unless it was cancelled first or already reported. */
    private void reportFinished(RetryListener l, boolean succeeded) {
        for (;;) {
            int s = state;
            if ((s & (CANCELLED | REPORTED)) != 0) {
                return;
            }
            if (STATE.compareAndSet(this, s, s | REPORTED)) {
                break;
            }
        }
        try {
            l.onCallFinished(succeeded, totalAttempts());
        } catch (Throwable e) {
            listenerFailed(l, "onCallFinished", e);
        }
    }

    /** Reports the cancel (CANCELLED is set), unless the call's end was reported first. */
    private void reportCancelled(RetryListener l) {
        for (;;) {
            int s = state;
            if ((s & REPORTED) != 0) {
                return;
            }
            if (STATE.compareAndSet(this, s, s | REPORTED)) {
                break;
            }
        }
        try {
            l.onCallCancelled(attemptsStarted);
        } catch (Throwable e) {
            listenerFailed(l, "onCallCancelled", e);
        }
    }

    private static void retryScheduled(RetryListener l, int attempt, long delayNanos) {
        try {
            l.onRetryScheduled(attempt, delayNanos);
        } catch (Throwable e) {
            listenerFailed(l, "onRetryScheduled", e);
        }
    }

    private static void budgetRejected(RetryListener l) {
        try {
            l.onBudgetRejected();
        } catch (Throwable e) {
            listenerFailed(l, "onBudgetRejected", e);
        }
    }

    /** A call that failed before a subscriber existed (the scheduler supplier threw). */
    static void callFailedBeforeStart(RetryListener l) {
        try {
            l.onCallFinished(false, 0);
        } catch (Throwable e) {
            listenerFailed(l, "onCallFinished", e);
        }
    }

    private static void listenerFailed(RetryListener l, String method, Throwable e) {
        Exceptions.throwIfJvmFatal(e);
        LOG.warn("RetryListener " + l + " threw from " + method + "; the event is dropped for it", e);
    }

    // ---- downstream ----

    @Override
    boolean isCancelled() {
        return (state & CANCELLED) != 0;
    }

    @Override
    public void cancel() {
        for (;;) {
            int s = state;
            if ((s & CANCELLED) != 0) {
                return;
            }
            if (STATE.compareAndSet(this, s, s | CANCELLED)) {
                break;
            }
        }
        Disposable t = timer;
        if (t != null) {
            t.dispose(); // a timer that already ran ignores this
        }
        cancelUpstream();
        if (listener != null) {
            reportCancelled(listener);
        }
    }

    Context currentContext() {
        return actual.currentContext();
    }

    @SuppressWarnings("rawtypes") // reactor-core declares scanUnsafe with the raw Attr type
    @Override
    @Nullable
    public Object scanUnsafe(Attr key) {
        if (key == Attr.PARENT) {
            return upstream();
        }
        if (key == Attr.ACTUAL) {
            return actual;
        }
        if (key == Attr.TERMINATED) {
            return (state & TERMINATED) != 0;
        }
        if (key == Attr.CANCELLED) {
            return isCancelled();
        }
        if (key == Attr.REQUESTED_FROM_DOWNSTREAM) {
            return requestedFromDownstream();
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
        return RetryOperator.stepName();
    }

    /**
     * The subscriber of one attempt. A fresh one per attempt gives each attempt its own
     * {@code done} flag, so that signals a cancelled attempt sends late (allowed by the Reactive
     * Streams rules) can never be taken for the next attempt's.
     */
    static final class Attempt<T> implements CoreSubscriber<T>, Scannable {

        private final RetrySubscriber<T> parent;
        @Nullable
        Subscription s;
        /** This attempt is over; written and read on the attempt's (serialized) signal path. */
        boolean done;

        Attempt(RetrySubscriber<T> parent) {
            this.parent = parent;
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(this.s, s)) {
                this.s = s;
                parent.set(s);
            }
        }

        @Override
        public void onNext(T t) {
            if (done) {
                Operators.onNextDropped(t, parent.currentContext());
                return;
            }
            parent.attemptNext(this, t);
        }

        @Override
        public void onError(Throwable t) {
            if (done) {
                Operators.onErrorDropped(t, parent.currentContext());
                return;
            }
            done = true;
            parent.attemptError(t);
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            done = true;
            parent.attemptComplete();
        }

        void cancelUpstream() {
            Subscription current = s;
            if (current != null) {
                current.cancel();
            }
        }

        @Override
        public Context currentContext() {
            return parent.currentContext();
        }

        @SuppressWarnings("rawtypes") // reactor-core declares scanUnsafe with the raw Attr type
        @Override
        @Nullable
        public Object scanUnsafe(Attr key) {
            if (key == Attr.PARENT) {
                return s;
            }
            if (key == Attr.ACTUAL) {
                return parent;
            }
            if (key == Attr.TERMINATED) {
                return done;
            }
            if (key == Attr.CANCELLED) {
                return parent.isCancelled();
            }
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.SYNC;
            }
            return null;
        }
    }
}
