package dev.recloser.core.internal.window;

import java.lang.invoke.MethodHandles;
import dev.recloser.core.SlidingWindow;
import java.lang.invoke.VarHandle;

/**
 * A time-based {@link OutcomeWindow}: a ring of {@code buckets} buckets of
 * {@code lengthNanos / buckets} each. At a clock reading whose bucket epoch is {@code e}, the window
 * holds the outcomes recorded with an epoch in {@code (e - buckets, e]}; the oldest bucket expires
 * as a whole.
 *
 * <p>Multi-writer, multi-reader. {@link #record} is lock-free; it allocates one small bucket object
 * when it finds its slot holding an older epoch: once per rotation of a slot (plus one discarded
 * object per writer that loses the race to install it), never per record; and, once per bucket
 * in which threads contend, one array of padded counters ({@link Cell}) for that bucket's successes.
 * A success touches one bucket; a failed or slow outcome also sums the ring, in O(buckets) whatever
 * time has passed since the last record. Each bucket counts at most 2^32 - 1 failed and 2^32 - 1
 * slow outcomes (they share one long).
 */
final class TimeWindow implements OutcomeWindow {

    /*
     * Implementation notes
     *
     * Epochs: the epoch of a reading is floorDiv(now - origin, bucketNanos). The origin is
     * subtracted first because nanoTime readings may be negative or wrap; the difference is exact
     * for readings within 2^63 ns of the origin, the same limit nanoTime itself has. Epoch e lives
     * in slot floorMod(e, buckets). All epoch comparisons are made on differences for the same
     * reason.
     *
     * A slot holds null or a Bucket: a final epoch and two counters, calls and bad (failed << 32 |
     * slow), changed only by atomic adds. A slot's epoch only grows: a writer replaces a bucket
     * only by one of a newer epoch. Two epochs of one slot differ by a multiple of buckets, so a
     * replaced bucket is at least `buckets` epochs older than its replacement.
     *
     * Recording at epoch e: read the slot. If it holds epoch e, add to it. If it holds an older
     * epoch (or null), allocate Bucket(e) - once per call, reused across retries - and CAS it in;
     * on failure re-read and decide again from the witness. If it holds a newer epoch, another
     * writer read the clock later than we did and, at its reading, our outcome is at least
     * `buckets` epochs old, i.e. already outside the window: it is dropped (and decides nothing).
     * No outcome is dropped otherwise. A retry happens only when another writer changed the slot,
     * so the loop is lock-free; with readings in one bucket it never loops.
     *
     * Benign races:
     *  - An add that lands in a bucket replaced concurrently is lost with that bucket. The
     *    replacement has an epoch at least `buckets` newer, so the writer that installed it read
     *    the clock at a time when our outcome was already outside the window; a reader with a
     *    reading that late excludes it anyway.
     *  - A reader whose clock reading is older than a concurrent writer's may find a slot already
     *    moved to an epoch newer than its own: it skips that bucket (epoch > its current) and does
     *    not see the oldest bucket it would otherwise have counted, which was expiring.
     *  - A reader may miss adds in flight; once writers return, sums are exact.
     * Hence, if no clock reading is later than `now` (epoch e), counts(now) taken after all
     * writers returned counts exactly the outcomes recorded with an epoch in (e - buckets, e]:
     * none of them can have been dropped or have landed in a replaced bucket, since either needs a
     * reading of epoch e + 1 or later. WindowRaceTest checks this under contention.
     *
     * Contention (successes only). A success adds its call with a compare-and-set rather than a
     * getAndAdd: the same instruction when it succeeds, and a failure is the signal that another
     * thread wrote the counter in between. The bucket then gets an array of cells (CAS on
     * `cells`, once per bucket; the loser uses the winner's), and from then on the bucket's
     * successes add to the cell of their thread (see Cell) instead of to `calls`. A bucket's calls
     * are `calls` plus the sum of its cells. Failed and slow outcomes keep adding to `calls` then
     * `bad`, so the ordering argument below, which only needs each failed or slow outcome's own
     * call to be visible with it, is unchanged; a cell's call that a reader misses is a success in
     * flight, off by one per recorder like any other. Buckets start unstriped again after each
     * rotation: a window whose load went away does not keep paying for cells.
     *
     * Orderings:
     *  - Slots are read opaque: the epoch is a final field, so any thread that obtains a bucket
     *    reference sees its epoch, and fresh counters are zero, the default every thread sees.
     *    The CAS needs atomicity only, and no acquire pairs with it; release is the weaker of the
     *    two forms that return the witness.
     *  - A writer adds to calls first and then to bad with release; a reader loads bad with
     *    acquire and then calls. Whatever failed or slow outcome the reader sees (directly, or
     *    through a later add: the adds to one variable extend the release sequence), it also sees
     *    its call, so every bucket sum (and the total) has failed <= calls and slow <= calls and
     *    needs no clamping. The calls add needs atomicity only.
     */

    private static final long LOW_32 = 0xFFFF_FFFFL;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Bucket[].class);
    private static final VarHandle CALLS;
    private static final VarHandle BAD;
    private static final VarHandle CELLS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CALLS = lookup.findVarHandle(Bucket.class, "calls", long.class);
            BAD = lookup.findVarHandle(Bucket.class, "bad", long.class);
            CELLS = lookup.findVarHandle(Bucket.class, "cells", Cell[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The outcomes of one bucket epoch. */
    private static final class Bucket {
        private final long epoch;
        /** originNanos + epoch * bucketNanos, in wrapping arithmetic like every clock difference here. */
        private final long startNanos;
        /** Outcomes recorded. Accessed only through CALLS. */
        private volatile long calls;
        /** failed << 32 | slow. Accessed only through BAD. */
        private volatile long bad;
        /** Null until successes contend on {@link #calls}; then set once. See "Contention". */
        private volatile Cell[] cells;

        Bucket(long epoch, long startNanos) {
            this.epoch = epoch;
            this.startNanos = startNanos;
        }
    }

    /**
     * The bucket most recently installed or found by a writer: a hint that lets a record whose
     * reading falls inside it skip the epoch division and the slot lookup. Any bucket is a valid
     * hint (the range check decides), so plain races on this field are benign; it is written once
     * per bucket period, not per record.
     */
    private Bucket latest;

    private final long lengthNanos;
    private final long bucketNanos;
    private final int buckets;
    private final long originNanos;
    private final TripRule rule;
    private final Bucket[] ring;
    /** Tests only: every bucket gets its cells when installed, as if every bucket were contended. */
    private final boolean stripeEveryBucket;

    TimeWindow(long lengthNanos, int buckets, TripRule rule, long originNanos) {
        this(lengthNanos, buckets, rule, originNanos, false);
    }

    /** A window whose buckets are all striped if {@code stripeEveryBucket}, for tests. */
    TimeWindow(long lengthNanos, int buckets, TripRule rule, long originNanos, boolean stripeEveryBucket) {
        if (lengthNanos < buckets || buckets < 1 || buckets > SlidingWindow.MAX_BUCKETS) {
            // SlidingWindow.timeBased has rejected these already, naming the option.
            throw new IllegalArgumentException("invalid time window: lengthNanos=" + lengthNanos
                    + ", buckets=" + buckets);
        }
        // A length that the buckets do not divide is rounded down to whole buckets, as
        // SlidingWindow.timeBased documents: 10 s in 3 buckets covers 3 x 3.333333333 s.
        this.bucketNanos = lengthNanos / buckets;
        this.lengthNanos = bucketNanos * buckets;
        this.buckets = buckets;
        this.originNanos = originNanos;
        this.rule = rule;
        this.ring = new Bucket[buckets];
        this.stripeEveryBucket = stripeEveryBucket;
    }

    @Override
    public int record(int outcome, long nowNanos) {
        if ((outcome & ~(FAILED | SLOW)) != 0) {
            throw new IllegalArgumentException("outcome must combine FAILED and SLOW, was " + outcome);
        }
        Bucket bucket = latest;
        // Fast path: the reading falls inside the latest bucket. That bucket may meanwhile have been
        // replaced in its slot by one B epochs newer (a writer with a fresher reading); the add then
        // lands in a bucket nobody reads, which drops an outcome that is already outside the window
        // as that fresher reading sees it: the same benign drop as in the slow path.
        long offset = bucket == null ? -1L : nowNanos - bucket.startNanos;
        if (offset < 0L || offset >= bucketNanos) {
            bucket = bucketForWrite(epoch(nowNanos));
            if (bucket == null) {
                return KEEP; // older than the window: see "Recording" in the implementation notes
            }
            latest = bucket;
        }
        if (outcome == SUCCESS) {
            addSuccess(bucket);
            return KEEP;
        }
        long epoch = bucket.epoch;
        getAndAddCallsRelease(bucket, 1L);
        // Release: the call counted just above is visible to whoever acquires this add.
        getAndAddBadRelease(bucket, ((long) (outcome & FAILED) << 32) | ((outcome & SLOW) >>> 1));
        return evaluate(epoch);
    }

    /** Counts one success in {@code bucket}: see "Contention" in the implementation notes. */
    private static void addSuccess(Bucket bucket) {
        Cell[] cs = bucket.cells;
        if (cs == null) {
            long calls = callsOpaque(bucket);
            if (CALLS.compareAndSet(bucket, calls, calls + 1)) {
                return;
            }
            cs = inflate(bucket); // another thread added in between: contended
        }
        cs[Cell.index()].getAndAdd(1L);
    }

    /** Publishes the bucket's cell array once; returns whichever array won. */
    private static Cell[] inflate(Bucket bucket) {
        Cell[] fresh = Cell.newArray();
        Cell[] witness = (Cell[]) CELLS.compareAndExchange(bucket, (Cell[]) null, fresh);
        return witness == null ? fresh : witness;
    }

    /** The calls of a bucket: its counter plus its cells, if any. */
    private static long calls(Bucket b) {
        long calls = callsOpaque(b);
        Cell[] cs = b.cells;
        return cs == null ? calls : calls + Cell.sum(cs);
    }

    /** Whether any live bucket's successes go through cells (tests). */
    boolean isStriped(long nowNanos) {
        long epoch = epoch(nowNanos);
        for (int i = 0; i < buckets; i++) {
            Bucket b = live(i, epoch);
            if (b != null && b.cells != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public WindowCounts counts(long nowNanos) {
        long epoch = epoch(nowNanos);
        long calls = 0;
        long failed = 0;
        long slow = 0;
        for (int i = 0; i < buckets; i++) {
            Bucket b = live(i, epoch);
            if (b != null) {
                long bad = badAcquire(b); // before calls: pairs with the release add in record()
                calls += calls(b);
                failed += bad >>> 32;
                slow += bad & LOW_32;
            }
        }
        return new WindowCounts(calls, failed, slow);
    }

    /** The same sum as {@link #counts}, without allocating, for the verdict of a record. */
    private int evaluate(long epoch) {
        long calls = 0;
        long failed = 0;
        long slow = 0;
        for (int i = 0; i < buckets; i++) {
            Bucket b = live(i, epoch);
            if (b != null) {
                long bad = badAcquire(b); // before calls: pairs with the release add in record()
                calls += calls(b);
                failed += bad >>> 32;
                slow += bad & LOW_32;
            }
        }
        return rule.evaluate(calls, failed, slow);
    }

    /** The bucket epoch of a clock reading. */
    long epoch(long nowNanos) {
        return Math.floorDiv(nowNanos - originNanos, bucketNanos);
    }

    /** The bucket in slot {@code i} if its epoch is in {@code (epoch - buckets, epoch]}, else null. */
    private Bucket live(int i, long epoch) {
        Bucket b = slotOpaque(i);
        if (b == null) {
            return null;
        }
        long age = epoch - b.epoch;
        return age >= 0 && age < buckets ? b : null;
    }

    /**
     * Returns the bucket of {@code epoch}, installing it if its slot holds an older epoch, or null
     * if the slot already holds a newer epoch (the outcome is outside the window).
     */
    private Bucket bucketForWrite(long epoch) {
        int i = Math.floorMod(epoch, buckets);
        Bucket current = slotOpaque(i);
        Bucket fresh = null;
        for (;;) {
            if (current != null) {
                long newer = current.epoch - epoch;
                if (newer == 0) {
                    return current;
                }
                if (newer > 0) {
                    return null;
                }
            }
            if (fresh == null) {
                fresh = new Bucket(epoch, originNanos + epoch * bucketNanos);
            }
            Bucket witness = compareAndExchangeSlotRelease(i, current, fresh);
            if (witness == current) {
                if (stripeEveryBucket) {
                    inflate(fresh);
                }
                return fresh;
            }
            current = witness;
        }
    }

    // ---- accessors ------------------------------------------------------------------------------

    private Bucket slotOpaque(int i) {
        return (Bucket) SLOTS.getOpaque(ring, i);
    }

    private Bucket compareAndExchangeSlotRelease(int i, Bucket expected, Bucket fresh) {
        return (Bucket) SLOTS.compareAndExchangeRelease(ring, i, expected, fresh);
    }

    private static long getAndAddCallsRelease(Bucket b, long delta) {
        return (long) CALLS.getAndAddRelease(b, delta);
    }

    private static long getAndAddBadRelease(Bucket b, long delta) {
        return (long) BAD.getAndAddRelease(b, delta);
    }

    private static long callsOpaque(Bucket b) {
        return (long) CALLS.getOpaque(b);
    }

    private static long badAcquire(Bucket b) {
        return (long) BAD.getAcquire(b);
    }

    @Override
    public String toString() {
        return "TimeWindow(" + lengthNanos + " ns, " + buckets + " buckets)";
    }
}
