package dev.recloser.core.limit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One sample window of a limiter: immutable identity (sequence, end, the estimate it started with)
 * and lock-free accumulators that every sampled release updates. See the notes in
 * {@link DefaultConcurrencyLimiter}.
 */
final class SampleWindow {

    private static final VarHandle COUNT;
    private static final VarHandle RTT_SUM;
    private static final VarHandle MIN_RTT;
    private static final VarHandle MAX_IN_FLIGHT;
    private static final VarHandle DROPPED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COUNT = l.findVarHandle(SampleWindow.class, "count", int.class);
            RTT_SUM = l.findVarHandle(SampleWindow.class, "rttSumNanos", long.class);
            MIN_RTT = l.findVarHandle(SampleWindow.class, "minRttNanos", long.class);
            MAX_IN_FLIGHT = l.findVarHandle(SampleWindow.class, "maxInFlight", int.class);
            DROPPED = l.findVarHandle(SampleWindow.class, "dropped", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long seq;
    final long endNanos;
    final LimitState state;

    @SuppressWarnings("unused") // accessed through COUNT
    private volatile int count;
    @SuppressWarnings("unused") // accessed through RTT_SUM
    private volatile long rttSumNanos;
    @SuppressWarnings("unused") // accessed through MIN_RTT
    private volatile long minRttNanos = Long.MAX_VALUE;
    @SuppressWarnings("unused") // accessed through MAX_IN_FLIGHT
    private volatile int maxInFlight;
    @SuppressWarnings("unused") // accessed through DROPPED
    private volatile boolean dropped;

    SampleWindow(long seq, long endNanos, LimitState state) {
        this.seq = seq;
        this.endNanos = endNanos;
        this.state = state;
    }

    /**
     * Adds one call. Count and sum are atomic adds; min and max are read first and written (by CAS)
     * only when this call beats them, which after the first few calls of a window is rare, so the
     * common case keeps those lines shared.
     */
    void record(long rttNanos, int inFlight, boolean drop) {
        COUNT.getAndAdd(this, 1);
        RTT_SUM.getAndAdd(this, rttNanos);
        long min = (long) MIN_RTT.getOpaque(this);
        while (rttNanos < min && !MIN_RTT.weakCompareAndSet(this, min, rttNanos)) {
            min = (long) MIN_RTT.getOpaque(this);
        }
        int max = (int) MAX_IN_FLIGHT.getOpaque(this);
        while (inFlight > max && !MAX_IN_FLIGHT.weakCompareAndSet(this, max, inFlight)) {
            max = (int) MAX_IN_FLIGHT.getOpaque(this);
        }
        if (drop && !(boolean) DROPPED.getOpaque(this)) {
            DROPPED.setOpaque(this, true); // a flag set after the closer read it is a lost sample, like any late one
        }
    }

    /** The window's summary, or null if it holds no sample. Racy by design (see the notes). */
    WindowSample summary() {
        int n = (int) COUNT.getVolatile(this);
        if (n <= 0) {
            return null;
        }
        long sum = (long) RTT_SUM.getVolatile(this);
        long min = (long) MIN_RTT.getVolatile(this);
        return new WindowSample(n, sum / n, min == Long.MAX_VALUE ? sum / n : min,
                (int) MAX_IN_FLIGHT.getVolatile(this), (boolean) DROPPED.getVolatile(this));
    }
}
