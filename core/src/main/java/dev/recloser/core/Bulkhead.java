package dev.recloser.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Limits how many calls run at once: a call first takes a permit with {@link #tryAcquire()} and gives
 * it back with {@link #release()} when it ends, however it ends (success, error or cancellation).
 * A call that finds no permit is rejected at once, typically with {@link #fullException()}; nothing
 * ever waits for a permit.
 *
 * <p>Thread-safe and lock-free: a permit is one CAS on an int, and neither acquiring, releasing nor
 * rejecting allocates (the rejection counter aside, see {@link #rejectedCalls()}). Permits are not
 * owned: any thread may release a permit another thread acquired, as reactive calls end on other
 * threads than they start on.
 */
public final class Bulkhead {

    /*
     * Implementation notes.
     *
     * 'available' is the number of free permits, in [0, max]. tryAcquire and release are CAS loops on
     * it: read, check the bound, CAS. The read before the CAS may be weak (opaque: it only has to
     * observe some recent value and not be hoisted out of the loop) because the CAS re-validates it.
     * The CAS itself is volatile; a successful acquire therefore happens-after the release that made
     * its permit free, which is all the ordering callers need (the bulkhead guards a count, not data).
     *
     * Rejections are counted in a LongAdder rather than an atomic long: rejections come in bursts from
     * every thread at once exactly when the system is saturated, and one contended counter would add a
     * cache-line fight to the path that is supposed to shed load cheaply. A full bulkhead otherwise
     * only reads 'available', which keeps the line shared. The LongAdder allocates its cells once,
     * on the first contention, and never again.
     */

    private static final VarHandle AVAILABLE;

    static {
        try {
            AVAILABLE = MethodHandles.lookup().findVarHandle(Bulkhead.class, "available", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final int maxConcurrentCalls;
    private final LongAdder rejected = new LongAdder();
    @SuppressWarnings("unused") // accessed through AVAILABLE
    private volatile int available;

    private Bulkhead(String name, int maxConcurrentCalls) {
        this.name = name;
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.available = maxConcurrentCalls;
    }

    /**
     * A bulkhead with all its permits free.
     *
     * @param name               identifies the bulkhead in exceptions and metrics; not blank
     * @param maxConcurrentCalls the number of permits, {@code >= 1}
     * @throws IllegalArgumentException if {@code name} is blank or {@code maxConcurrentCalls < 1}
     * @throws NullPointerException     if {@code name} is null
     */
    public static Bulkhead of(String name, int maxConcurrentCalls) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
        }
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls must be >= 1, was " + maxConcurrentCalls);
        }
        return new Bulkhead(name, maxConcurrentCalls);
    }

    /**
     * Takes a permit if one is free; otherwise counts a rejection and returns false at once. Every
     * {@code true} must be matched by exactly one {@link #release()}.
     */
    public boolean tryAcquire() {
        for (;;) {
            int free = availableOpaque();
            if (free <= 0) {
                rejected.increment();
                return false;
            }
            if (casAvailable(free, free - 1)) {
                return true;
            }
        }
    }

    /**
     * Gives back a permit taken by a successful {@link #tryAcquire()}.
     *
     * @throws IllegalStateException if all permits are already free, which proves a release without
     *                               a matching acquire (the count is left unchanged). An unmatched
     *                               release while other calls hold permits cannot be told apart from
     *                               theirs and goes undetected; it is caught when they release.
     */
    public void release() {
        for (;;) {
            int free = availableOpaque();
            if (free >= maxConcurrentCalls) {
                throw new IllegalStateException("Bulkhead '" + name
                        + "' released more permits than were acquired (maxConcurrentCalls " + maxConcurrentCalls + ")");
            }
            if (casAvailable(free, free + 1)) {
                return;
            }
        }
    }

    /** The bulkhead's name. */
    public String name() {
        return name;
    }

    /** The number of permits. */
    public int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    /** The permits free at this moment, in {@code [0, maxConcurrentCalls]}; for monitoring. */
    public int availablePermits() {
        return availableOpaque();
    }

    /**
     * The number of rejected {@link #tryAcquire()} calls since creation. Concurrent rejections may or
     * may not be included (a {@link LongAdder} sum); exact once rejections have stopped.
     */
    public long rejectedCalls() {
        return rejected.sum();
    }

    /**
     * A new stackless {@link BulkheadFullException} for this bulkhead, to signal a rejected call;
     * costs one small allocation and no stack walk.
     */
    public BulkheadFullException fullException() {
        return new BulkheadFullException(name, maxConcurrentCalls);
    }

    private int availableOpaque() {
        return (int) AVAILABLE.getOpaque(this);
    }

    private boolean casAvailable(int expected, int next) {
        return AVAILABLE.compareAndSet(this, expected, next);
    }

    @Override
    public String toString() {
        return "Bulkhead{name='" + name + "', maxConcurrentCalls=" + maxConcurrentCalls
                + ", availablePermits=" + availablePermits() + ", rejectedCalls=" + rejectedCalls() + '}';
    }
}
