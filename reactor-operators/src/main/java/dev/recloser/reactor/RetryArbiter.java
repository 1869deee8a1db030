package dev.recloser.reactor;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Operators;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Subscription} a retrying subscriber gives downstream: it keeps downstream's demand
 * across the successive upstream subscriptions (one per attempt), so that what was requested and
 * not yet delivered by one attempt is requested again from the next one.
 *
 * <p>Usage contract: a new upstream subscription is {@link #set} only once the previous one has
 * finished emitting (it terminated, or its owner cancelled it after its last value); before
 * switching, the owner reports what the previous one delivered with {@link #produced(long)}. The
 * arbiter never cancels a replaced subscription, because a replaced subscription is always finished.
 *
 * <p>reactor-core has the same algorithm in {@code Operators.MultiSubscriptionSubscriber}, which
 * its own retry operators extend, but that class is not public.
 */
abstract class RetryArbiter implements Subscription {

    /*
     * Implementation notes.
     *
     * request(n) may come from any thread while set(s) (a new attempt subscribing) and produced(n)
     * (before a re-subscription) come from the upstream side. The current subscription and the
     * outstanding demand ('subscription', 'requested', 'unbounded') are plain fields that only the
     * thread holding the 'wip' token reads or writes; the token is taken by the 0 -> 1 transition of
     * 'wip', and its release (a decrement, a volatile write) publishes those fields to the next
     * holder, whose increment reads it. A caller that finds the token taken leaves its change in a
     * 'missed' field (an atomic add or swap) and increments 'wip'; the holder then sees wip != 1 when
     * releasing and loops over the missed fields before leaving (drainLoop). No caller waits.
     *
     * Requests to upstream are made after the token is released, never while holding it: a
     * synchronous upstream may deliver values, and then call back into produced() or request(), from
     * inside request(). drainLoop accumulates what it must request and to whom, and requests once at
     * the end. A new subscription is given the whole outstanding demand, computed at the end of the
     * last loop iteration; demand missed after that is requested by the next holder, incrementally.
     */

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<RetryArbiter> WIP =
            AtomicIntegerFieldUpdater.newUpdater(RetryArbiter.class, "wip");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<RetryArbiter, Subscription> MISSED_SUBSCRIPTION =
            AtomicReferenceFieldUpdater.newUpdater(RetryArbiter.class, Subscription.class, "missedSubscription");
    private static final AtomicLongFieldUpdater<RetryArbiter> MISSED_REQUESTED =
            AtomicLongFieldUpdater.newUpdater(RetryArbiter.class, "missedRequested");
    private static final AtomicLongFieldUpdater<RetryArbiter> MISSED_PRODUCED =
            AtomicLongFieldUpdater.newUpdater(RetryArbiter.class, "missedProduced");

    /** The current upstream subscription; only the wip holder touches it. */
    @Nullable
    private Subscription subscription;
    /** Demand requested downstream and not yet delivered; only the wip holder touches it. */
    private long requested;
    /** {@code requested} reached Long.MAX_VALUE: demand is no longer counted. */
    private boolean unbounded;

    volatile int wip;
    @Nullable
    volatile Subscription missedSubscription;
    volatile long missedRequested;
    volatile long missedProduced;

    /** Whether downstream has cancelled; once true, stays true. */
    abstract boolean isCancelled();

    /**
     * Makes {@code s} the current upstream subscription and requests from it the outstanding demand.
     * If downstream has cancelled, {@code s} is cancelled instead.
     */
    final void set(Subscription s) {
        if (wip == 0 && WIP.compareAndSet(this, 0, 1)) {
            // Cancellation is checked while holding the token, never before taking it. cancel()
            // sets its flag and then drains (taking the token, or leaving work to its holder): a
            // drain that ran whole between an unguarded check and our taking the token would find
            // no subscription to cancel, and 's' would be installed, requested and never cancelled
            // (issue 10). Ordering: the flag's volatile write comes before cancel's increment of
            // 'wip'; our CAS of 'wip' either comes after that increment, and this read sees the
            // flag, or before it, and cancel's drain is left to us as a missed round (below) or runs
            // after our release, and finds 's' in 'subscription'.
            if (isCancelled()) {
                if (WIP.decrementAndGet(this) != 0) {
                    drainLoop();
                }
                s.cancel();
                return;
            }
            subscription = s;
            long r = requested;
            if (WIP.decrementAndGet(this) != 0) {
                drainLoop();
            }
            if (r != 0L) {
                s.request(r);
            }
            return;
        }
        MISSED_SUBSCRIPTION.set(this, s);
        drain();
    }

    @Override
    public final void request(long n) {
        if (!Operators.validate(n) || unbounded) {
            // 'unbounded' is read racily: once true it stays true, and a stale false only costs a
            // trip through the slow path.
            return;
        }
        if (wip == 0 && WIP.compareAndSet(this, 0, 1)) {
            long r = requested;
            if (r != Long.MAX_VALUE) {
                r = Operators.addCap(r, n);
                requested = r;
                if (r == Long.MAX_VALUE) {
                    unbounded = true;
                }
            }
            Subscription a = subscription;
            if (WIP.decrementAndGet(this) != 0) {
                drainLoop();
            }
            if (a != null) {
                a.request(n);
            }
            return;
        }
        Operators.addCap(MISSED_REQUESTED, this, n);
        drain();
    }

    /** Removes {@code n} delivered values from the outstanding demand (before a re-subscription). */
    final void produced(long n) {
        if (unbounded) {
            return;
        }
        if (wip == 0 && WIP.compareAndSet(this, 0, 1)) {
            long r = requested;
            if (r != Long.MAX_VALUE) {
                // More delivered than requested would be an upstream bug; never go negative.
                requested = Math.max(0L, r - n);
            } else {
                unbounded = true;
            }
            if (WIP.decrementAndGet(this) != 0) {
                drainLoop();
            }
            return;
        }
        Operators.addCap(MISSED_PRODUCED, this, n);
        drain();
    }

    /** Cancels the current (and any not yet installed) upstream subscription; call after isCancelled() became true. */
    final void cancelUpstream() {
        drain();
    }

    /** The current upstream subscription, for {@code Scannable}; racy by nature. */
    @Nullable
    final Subscription upstream() {
        Subscription ms = missedSubscription;
        return ms != null ? ms : subscription;
    }

    /** Outstanding downstream demand, for {@code Scannable}; racy by nature. */
    final long requestedFromDownstream() {
        return Operators.addCap(requested, missedRequested);
    }

    private void drain() {
        if (WIP.getAndIncrement(this) != 0) {
            return;
        }
        drainLoop();
    }

    private void drainLoop() {
        int missed = 1;
        // What to request once the token is released, and from whom: after a switch, the new
        // subscription gets the whole outstanding demand (it has been given nothing yet); without
        // one, the current subscription gets the requests that were missed while the token was held.
        Subscription target = null;
        long amount = 0L;
        boolean switched = false;
        for (;;) {
            Subscription ms = missedSubscription;
            if (ms != null) {
                ms = MISSED_SUBSCRIPTION.getAndSet(this, null);
            }
            long mr = missedRequested;
            if (mr != 0L) {
                mr = MISSED_REQUESTED.getAndSet(this, 0L);
            }
            long mp = missedProduced;
            if (mp != 0L) {
                mp = MISSED_PRODUCED.getAndSet(this, 0L);
            }
            Subscription a = subscription;
            if (isCancelled()) {
                if (a != null) {
                    a.cancel();
                    subscription = null;
                }
                if (ms != null) {
                    ms.cancel();
                }
                target = null;
                amount = 0L;
            } else {
                long r = requested;
                if (r != Long.MAX_VALUE) {
                    long u = Operators.addCap(r, mr);
                    r = u == Long.MAX_VALUE ? u : Math.max(0L, u - mp);
                    requested = r;
                    if (r == Long.MAX_VALUE) {
                        unbounded = true;
                    }
                }
                if (ms != null) {
                    // A replaced subscription has finished emitting (see the class contract): it is
                    // neither cancelled nor asked for more.
                    subscription = ms;
                    switched = true;
                }
                if (switched) {
                    target = subscription;
                    amount = r;
                } else if (mr != 0L && a != null) {
                    target = a;
                    amount = Operators.addCap(amount, mr);
                }
            }
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                if (target != null && amount != 0L) {
                    target.request(amount);
                }
                return;
            }
        }
    }
}
