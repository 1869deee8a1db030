package dev.recloser.core.retry;

import dev.recloser.core.NanoClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;

/**
 * A retry budget in the manner of Envoy's: retries are allowed only while they stay under a ratio
 * of recent calls plus a small floor, so that during an outage retries cannot multiply the load on a
 * struggling service (with a 20% budget, at most 1.2x the original traffic plus the floor).
 *
 * <p>A retry is granted while
 * <pre>{@code retries in the window < ratio * calls in the window + minRetriesPerSecond * window in seconds}</pre>
 * and the granted retry is then counted in the window. The floor lets a quiet client retry at all:
 * with no calls recorded, {@code minRetriesPerSecond * window} retries are still allowed per window.
 *
 * <p>What counts: {@link #recordCall()} once per original call, before or at its first attempt,
 * whatever its outcome (including calls an open breaker rejects); not for retries, which
 * {@link #tryAcquireRetry()} counts itself. Counting retries as calls would let retries raise
 * their own budget. Share one budget among all calls to the same destination.
 *
 * <p>The window slides in 16 steps: a call or retry is forgotten between 15/16 of the window and the
 * whole window after it was recorded. Time comes from the {@link NanoClock} only; there is no timer
 * thread.
 *
 * <p>Thread-safe and lock-free: no method blocks or waits for another thread. {@code recordCall} is
 * one atomic add on the current bucket; {@code tryAcquireRetry} adds and then sums the 16 buckets.
 * Neither allocates, except that the first record in each bucket period replaces the expired bucket
 * with a new small object (a few threads racing there may each allocate one; one wins). Under
 * concurrency the budget is never exceeded; racing retries may be refused although one of them
 * would have fitted (see the implementation notes), which errs on the side of less load.
 */
public final class RetryBudget {

    /*
     * Implementation notes.
     *
     * Ring: 16 slots (power of two, index = epoch & MASK), each holding an immutable-epoch Bucket with
     * two counters. The epoch of a reading is floorDiv(now - origin, bucketNanos). A slot whose bucket
     * is older than the current epoch is rotated by CAS-replacing the whole Bucket object, so resetting
     * the counters and changing the epoch is one atomic step; a loser of that CAS re-reads the slot and
     * uses the winner's bucket. A bucket newer than the caller's epoch (the caller's clock reading is
     * a full window stale) is used as is: counting an old event as recent errs towards less retrying.
     *
     * Benign race: a thread that read a bucket and stalls for a whole window before adding to it adds
     * to a bucket that has meanwhile been replaced; the count is lost, but it would have expired by
     * then anyway.
     *
     * tryAcquireRetry is optimistic: increment the retry counter first, then sum all buckets, and undo
     * the increment if the sum (which includes this retry) is over the budget. All three steps use
     * volatile (sequentially consistent) access, not acquire/release: this is a Dekker-style pattern
     * (my write, then my read of your write), and with volatile accesses, of any two racing granted
     * retries the later in the synchronization order sees the earlier one's increment. So the last of
     * k granted retries saw at least k retries, and k never exceeds the budget. The price: a retry that
     * is about to be undone is briefly visible to others, who may refuse although the budget had room.
     * Acquire loads would allow the sum to be read before the increment is visible (store-load
     * reordering), and two racing retries could both miss each other.
     *
     * The comparison is done in integers, in millionths of a retry, not in doubles: 0.1 * 30 is
     * 3.0000000000000004 in double arithmetic, which would grant a fourth retry where the user expects
     * three. The ratio is therefore applied to a precision of one millionth.
     */

    private static final int BUCKETS = 16;
    private static final int MASK = BUCKETS - 1;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Bucket[].class);
    private static final Bucket EMPTY = new Bucket(Long.MIN_VALUE);
    private static final Duration MIN_WINDOW = Duration.ofMillis(1);
    private static final double MAX_RATIO = 10.0;
    private static final long PPM = 1_000_000L;

    private final Bucket[] slots = new Bucket[BUCKETS];
    private final double ratio;
    private final int minRetriesPerSecond;
    /** {@code ratio} in millionths of a retry per call. */
    private final long ratioPpm;
    /** {@code minRetriesPerSecond * window} in millionths of a retry. */
    private final long floorPpm;
    private final Duration window;
    private final long bucketNanos;
    private final NanoClock clock;
    private final long originNanos;

    private RetryBudget(Builder b) {
        this.ratio = b.ratio;
        this.minRetriesPerSecond = b.minRetriesPerSecond;
        this.window = b.window;
        this.bucketNanos = b.windowNanos / BUCKETS;
        this.ratioPpm = Math.round(ratio * PPM);
        // Nanoseconds / 1000 = millionths of a second; the double keeps the product from overflowing
        // and is exact for any realistic window, and the cast saturates at Long.MAX_VALUE.
        this.floorPpm = (long) (minRetriesPerSecond * (b.windowNanos / 1000.0));
        this.clock = b.clock;
        this.originNanos = clock.nanoTime();
        // The shared EMPTY bucket has an epoch no reading can match, so it is always replaced before
        // anything is added; nothing is ever added to it.
        for (int i = 0; i < BUCKETS; i++) {
            slots[i] = EMPTY;
        }
        // Publication of the filled array: final field semantics of 'slots' at the end of the
        // constructor.
    }

    /**
     * A budget over the default 10 s window on the system clock.
     *
     * @param ratio               retries allowed per recorded call, in {@code [0.0, 10.0]}
     *                            (a fraction: 0.2 means 20%; applied to a precision of one millionth)
     * @param minRetriesPerSecond retries allowed per second regardless of calls, {@code >= 0}
     * @throws IllegalArgumentException if a value is out of range (NaN included)
     */
    public static RetryBudget of(double ratio, int minRetriesPerSecond) {
        return builder().ratio(ratio).minRetriesPerSecond(minRetriesPerSecond).build();
    }

    /** A builder with the defaults: ratio 0.2, 10 retries per second, 10 s window, system clock. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Counts one original call (see the class description for what counts). Never blocks; allocates
     * nothing except at a bucket rotation.
     */
    public void recordCall() {
        bucket(epochNow()).addCalls(1L);
    }

    /**
     * Grants a retry and counts it, if the budget has room; otherwise counts nothing. Call it only
     * when the {@link RetryPolicy} has already decided to retry, just before scheduling the retry: a
     * granted retry is spent even if the caller then cancels. Never blocks.
     *
     * @return true if the retry may be made
     */
    public boolean tryAcquireRetry() {
        long epoch = epochNow();
        Bucket bucket = bucket(epoch);
        bucket.addRetries(1L);
        // Volatile reads after the volatile increment: see the implementation notes.
        long oldest = epoch - MASK;
        long calls = 0L;
        long retries = 0L;
        for (int i = 0; i < BUCKETS; i++) {
            Bucket b = slotVolatile(i);
            if (b.epoch >= oldest) {
                calls += b.callsVolatile();
                retries += b.retriesVolatile();
            }
        }
        // 'retries' includes this one: the retries before it must be under the budget.
        long beforePpm = saturatedMultiply(Math.max(0L, retries - 1), PPM);
        long budgetPpm = saturatedAdd(saturatedMultiply(calls, ratioPpm), floorPpm);
        if (beforePpm < budgetPpm) {
            return true;
        }
        bucket.addRetries(-1L);
        return false;
    }

    /** The calls counted in the current window; a snapshot that concurrent records may make stale. */
    public long callsInWindow() {
        return sum(false);
    }

    /**
     * The retries counted in the current window, granted ones plus any being decided at this moment;
     * a snapshot that concurrent records may make stale.
     */
    public long retriesInWindow() {
        return sum(true);
    }

    private long sum(boolean retries) {
        long oldest = epochNow() - MASK;
        long total = 0L;
        for (int i = 0; i < BUCKETS; i++) {
            Bucket b = slotVolatile(i);
            if (b.epoch >= oldest) {
                total += retries ? b.retriesVolatile() : b.callsVolatile();
            }
        }
        return total;
    }

    /** {@code a * b} for {@code a, b >= 0}, or Long.MAX_VALUE if it overflows. */
    private static long saturatedMultiply(long a, long b) {
        long product = a * b;
        return Math.multiplyHigh(a, b) != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    /** {@code a + b} for {@code a, b >= 0}, or Long.MAX_VALUE if it overflows. */
    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private long epochNow() {
        return Math.floorDiv(clock.nanoTime() - originNanos, bucketNanos);
    }

    /** The bucket for {@code epoch}, rotating its slot if the slot holds an expired bucket. */
    private Bucket bucket(long epoch) {
        int i = (int) (epoch & MASK);
        Bucket fresh = null;
        for (;;) {
            Bucket b = slotVolatile(i);
            if (b.epoch >= epoch) {
                return b;
            }
            if (fresh == null) {
                fresh = new Bucket(epoch);
            }
            // Volatile CAS publishes the fresh bucket (its final epoch and zero counters) to every
            // thread that later reads the slot.
            if (SLOTS.compareAndSet(slots, i, b, fresh)) {
                return fresh;
            }
        }
    }

    private Bucket slotVolatile(int i) {
        return (Bucket) SLOTS.getVolatile(slots, i);
    }

    /** Retries allowed per recorded call. */
    public double ratio() {
        return ratio;
    }

    /** Retries allowed per second regardless of calls. */
    public int minRetriesPerSecond() {
        return minRetriesPerSecond;
    }

    /** How long calls and retries are remembered. */
    public Duration window() {
        return window;
    }

    @Override
    public String toString() {
        return "RetryBudget{ratio=" + ratio + ", minRetriesPerSecond=" + minRetriesPerSecond
                + ", window=" + window + ", calls=" + callsInWindow() + ", retries=" + retriesInWindow() + '}';
    }

    /** One time slice of the window; replaced, never reset, when its slot is reused. */
    static final class Bucket {

        private static final VarHandle CALLS;
        private static final VarHandle RETRIES;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                CALLS = lookup.findVarHandle(Bucket.class, "calls", long.class);
                RETRIES = lookup.findVarHandle(Bucket.class, "retries", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final long epoch;
        @SuppressWarnings("unused") // accessed through CALLS
        private volatile long calls;
        @SuppressWarnings("unused") // accessed through RETRIES
        private volatile long retries;

        Bucket(long epoch) {
            this.epoch = epoch;
        }

        void addCalls(long n) {
            CALLS.getAndAdd(this, n);
        }

        void addRetries(long n) {
            RETRIES.getAndAdd(this, n);
        }

        long callsVolatile() {
            return (long) CALLS.getVolatile(this);
        }

        long retriesVolatile() {
            return (long) RETRIES.getVolatile(this);
        }
    }

    /**
     * Builds a {@link RetryBudget}. Each setter checks its value at once (an
     * {@link IllegalArgumentException} naming the option and the value, or a
     * {@link NullPointerException} naming the option). Not thread-safe; each {@link #build()} returns
     * a new, empty budget.
     */
    public static final class Builder {

        private double ratio = 0.2;
        private int minRetriesPerSecond = 10;
        private Duration window = Duration.ofSeconds(10);
        private long windowNanos = window.toNanos();
        private NanoClock clock = NanoClock.system();

        private Builder() {
        }

        /**
         * Retries allowed per recorded call, a fraction in {@code [0.0, 10.0]} (0.2 = 20%), applied to a
         * precision of one millionth. The upper bound catches a percentage passed as a fraction; a
         * ratio of 10 already never binds in practice. Default 0.2.
         *
         * @throws IllegalArgumentException if out of range or NaN
         */
        public Builder ratio(double ratio) {
            if (!(ratio >= 0.0 && ratio <= MAX_RATIO)) {
                throw new IllegalArgumentException(
                        "ratio must be in [0.0, " + MAX_RATIO + "] (a fraction: 0.2 = 20%), was " + ratio);
            }
            this.ratio = ratio;
            return this;
        }

        /**
         * Retries allowed per second regardless of calls, averaged over the window ({@code 0} with
         * ratio {@code 0} allows no retry at all). Default 10.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder minRetriesPerSecond(int minRetriesPerSecond) {
            if (minRetriesPerSecond < 0) {
                throw new IllegalArgumentException("minRetriesPerSecond must be >= 0, was " + minRetriesPerSecond);
            }
            this.minRetriesPerSecond = minRetriesPerSecond;
            return this;
        }

        /**
         * How long calls and retries are remembered, at least 1 ms. Default 10 s.
         *
         * @throws IllegalArgumentException if shorter than 1 ms or longer than about 292 years
         * @throws NullPointerException     if null
         */
        public Builder window(Duration window) {
            long nanos = Checks.positiveNanos("window", window);
            if (window.compareTo(MIN_WINDOW) < 0) {
                throw new IllegalArgumentException("window must be >= " + MIN_WINDOW + ", was " + window);
            }
            this.windowNanos = nanos;
            this.window = window;
            return this;
        }

        /**
         * The time source. Default {@link NanoClock#system()}.
         *
         * @throws NullPointerException if null
         */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** A new, empty budget with the values set so far; it starts its window now. */
        public RetryBudget build() {
            return new RetryBudget(this);
        }
    }
}
