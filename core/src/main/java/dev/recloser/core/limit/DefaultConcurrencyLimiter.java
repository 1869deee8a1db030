package dev.recloser.core.limit;

import dev.recloser.core.NanoClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lock-free {@link ConcurrencyLimiter}; see the interface for the contract. */
final class DefaultConcurrencyLimiter implements ConcurrencyLimiter {

    /*
     * Implementation notes.
     *
     * Admission. 'inFlight' is the number of unsettled permits. tryAcquire reads the limit and CASes
     * inFlight from n to n + 1 while n < limit; release is one getAndAdd(-1). Both reads before the
     * CAS may be opaque: the CAS re-validates inFlight, and a stale limit (one window old) only
     * admits or rejects against the previous window's limit, which is what a racing caller would have
     * seen a moment earlier anyway. So admissions never push inFlight past the limit they read; it
     * exceeds the current limit only when the limit comes down below calls already admitted.
     *
     * Windows. 'window' is the current SampleWindow: its end time, its sequence number and the
     * algorithm's estimate it was born with (immutable), plus atomic accumulators. A release adds
     * its sample to the window it reads, then, if the window's end has passed, tries to close it:
     * it summarises the accumulators, computes the next estimate (a pure function), builds the next
     * window and CASes 'window' from the old to the new one. The one CAS winner per window publishes
     * the limit and logs; losers have only computed a value they drop. Since each window is born
     * from exactly one predecessor, the estimates form a chain: no two threads ever update one
     * estimate, and the CAS (a full fence) orders each estimate's construction before any later
     * closer reads it. No lock, no timer: a window closes at the first release after its end.
     *
     * Benign races: a sample added to a window after its closer summarised it is lost (at most the
     * calls that raced with the close, out of a window of many); count and sum are read one after the
     * other, so the average may include a sample whose count was not yet read; both are noise
     * against a window's worth of samples.
     *
     * Limit publication. Two successive winners may publish out of order (the first is descheduled
     * after its CAS). 'limitWord' packs the window sequence (high 32 bits) with the limit (low 32
     * bits) and is only moved forward by CAS, so a late publisher never overwrites a newer limit.
     * tryAcquire reads the low half.
     *
     * Misuse. A release that takes inFlight below zero proves a settle without a permit; it is
     * undone and reported with an IllegalStateException. A racing acquire may meanwhile have used the
     * phantom slot; detection is best effort, as with Bulkhead.
     */

    private static final Logger LOG = LoggerFactory.getLogger(ConcurrencyLimiter.class);

    private static final VarHandle IN_FLIGHT;
    private static final VarHandle LIMIT_WORD;
    private static final VarHandle WINDOW;
    private static final VarHandle LATENCY;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            IN_FLIGHT = l.findVarHandle(DefaultConcurrencyLimiter.class, "inFlight", int.class);
            LIMIT_WORD = l.findVarHandle(DefaultConcurrencyLimiter.class, "limitWord", long.class);
            WINDOW = l.findVarHandle(DefaultConcurrencyLimiter.class, "window", SampleWindow.class);
            LATENCY = l.findVarHandle(DefaultConcurrencyLimiter.class, "latencyNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final ConcurrencyLimitConfig config;
    private final LimitAlgorithm algorithm;
    private final NanoClock clock;
    private final long minRttThresholdNanos;
    private final long dropAboveNanos;
    private final LongAdder rejected = new LongAdder();

    @SuppressWarnings("unused") // accessed through IN_FLIGHT
    private volatile int inFlight;
    @SuppressWarnings("unused") // accessed through LIMIT_WORD
    private volatile long limitWord;
    @SuppressWarnings("unused") // accessed through WINDOW
    private volatile SampleWindow window;
    @SuppressWarnings("unused") // accessed through LATENCY
    private volatile long latencyNanos;

    DefaultConcurrencyLimiter(String name, ConcurrencyLimitConfig config) {
        this.name = name;
        this.config = config;
        this.algorithm = config.algorithm();
        this.clock = config.clock();
        this.minRttThresholdNanos = config.minRttThresholdNanos();
        this.dropAboveNanos = algorithm.dropAboveNanos();
        long now = clock.nanoTime();
        LimitState initial = algorithm.start(name.hashCode() * 0x9E3779B97F4A7C15L ^ now);
        this.window = new SampleWindow(0L, now + config.minWindowNanos(), initial);
        this.limitWord = initial.limit() & 0xFFFF_FFFFL;
    }

    @Override
    public long tryAcquire() {
        int limit = (int) (long) LIMIT_WORD.getOpaque(this);
        for (;;) {
            int n = (int) IN_FLIGHT.getOpaque(this);
            if (n >= limit) {
                rejected.increment();
                return NO_PERMIT;
            }
            if (IN_FLIGHT.compareAndSet(this, n, n + 1)) {
                break;
            }
        }
        long start = clock.nanoTime();
        return start == NO_PERMIT ? start + 1 : start; // once in 2^64 ns: a 1 ns error, harmless
    }

    @Override
    public void onSuccess(long permit) {
        settle(permit, false);
    }

    @Override
    public void onDropped(long permit) {
        settle(permit, true);
    }

    @Override
    public void onIgnore(long permit) {
        release();
    }

    private int release() {
        int before = (int) IN_FLIGHT.getAndAdd(this, -1);
        if (before <= 0) {
            IN_FLIGHT.getAndAdd(this, 1);
            throw new IllegalStateException("ConcurrencyLimiter '" + name
                    + "' settled more permits than it granted");
        }
        return before;
    }

    private void settle(long permit, boolean dropped) {
        int inFlightBefore = release();
        long now = clock.nanoTime();
        long rtt = now - permit;
        boolean drop = dropped || rtt > dropAboveNanos;
        SampleWindow w = (SampleWindow) WINDOW.getAcquire(this); // pairs with the CAS that published it
        if (drop || rtt >= minRttThresholdNanos) {
            w.record(rtt, inFlightBefore, drop);
        }
        if (now - w.endNanos >= 0) {
            close(w, now);
        }
    }

    /** Closes {@code w} if no one else has: summarise, update the estimate, install the next window. */
    private void close(SampleWindow w, long now) {
        if (WINDOW.getAcquire(this) != w) {
            return; // already closed by another release
        }
        WindowSample sample = w.summary();
        LimitState next = w.state;
        boolean fed = sample != null && sample.samples() >= config.minSamples();
        if (fed) {
            next = algorithm.next(w.state, sample);
        }
        long candidate = sample == null ? config.maxWindowNanos() : saturatedDouble(sample.minRttNanos());
        long length = Math.max(config.minWindowNanos(), Math.min(config.maxWindowNanos(), candidate));
        SampleWindow fresh = new SampleWindow(w.seq + 1, now + length, next);
        if (!WINDOW.compareAndSet(this, w, fresh)) {
            return;
        }
        // The one winner for w: publish, then log.
        if (fed) {
            LATENCY.setOpaque(this, sample.avgRttNanos()); // a monitoring value: opaque is enough
        }
        int before = w.state.limit();
        int after = next.limit();
        publishLimit(fresh.seq, after);
        if (before != after && LOG.isDebugEnabled()) {
            LOG.debug("ConcurrencyLimiter '{}' limit {} -> {} (window of {} calls: avg {} µs, min {} µs, "
                            + "max in flight {}, dropped {})", name, before, after, sample.samples(),
                    sample.avgRttNanos() / 1000, sample.minRttNanos() / 1000, sample.maxInFlight(), sample.dropped());
        }
    }

    private static long saturatedDouble(long nanos) {
        return nanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : nanos * 2;
    }

    private void publishLimit(long seq, int limit) {
        int s = (int) seq;
        long word = ((long) s << 32) | (limit & 0xFFFF_FFFFL);
        for (;;) {
            long current = (long) LIMIT_WORD.getVolatile(this);
            if (s - (int) (current >>> 32) <= 0) {
                return; // this window's or a newer window's limit is already there (wrap-safe compare)
            }
            if (LIMIT_WORD.compareAndSet(this, current, word)) {
                return;
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ConcurrencyLimitConfig config() {
        return config;
    }

    @Override
    public int limit() {
        return (int) (long) LIMIT_WORD.getOpaque(this);
    }

    @Override
    public int inFlight() {
        return (int) IN_FLIGHT.getOpaque(this);
    }

    @Override
    public long rejectedCalls() {
        return rejected.sum();
    }

    @Override
    public long latencyNanos() {
        return (long) LATENCY.getOpaque(this);
    }

    @Override
    public long windows() {
        return ((SampleWindow) WINDOW.getOpaque(this)).seq;
    }

    @Override
    public LimitExceededException limitExceeded() {
        return new LimitExceededException(name, limit());
    }

    @Override
    public String toString() {
        return "ConcurrencyLimiter{name='" + name + "', limit=" + limit() + ", inFlight=" + inFlight()
                + ", rejectedCalls=" + rejectedCalls() + ", algorithm=" + algorithm + '}';
    }
}
