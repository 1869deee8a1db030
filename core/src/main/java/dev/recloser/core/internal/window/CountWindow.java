package dev.recloser.core.internal.window;

import java.lang.invoke.MethodHandles;
import dev.recloser.core.SlidingWindow;
import java.lang.invoke.VarHandle;

/**
 * A count-based {@link OutcomeWindow}: a ring of the last {@code size} outcomes with one packed
 * aggregate of the outcomes currently in the ring.
 *
 * <p>Multi-writer, multi-reader. {@link #record} is allocation-free and lock-free. Uncontended, a
 * success recorded over a success is one compare-and-set and one load; any other outcome is three
 * atomic instructions. Under contention, successes are counted in per-thread cells and folded into
 * the ring in batches, so that threads recording successes on one breaker do not move the cursor's
 * cache line between their cores on every call. {@link #counts} is one load when nothing is pending.
 */
final class CountWindow extends CountWindowTailPad implements OutcomeWindow {

    /*
     * Implementation notes
     *
     * State: a cursor (a ticket counter), a byte per slot and one long aggregate. A slot holds
     * EMPTY (0) or PRESENT | outcome, so a fresh ring is the zeroed array and EMPTY differs from a
     * recorded SUCCESS. The aggregate packs three signed 21-bit fields, calls | failed << 21 |
     * slow << 42, and is always the sum of the contributions of every slot swap whose delta has
     * been applied.
     *
     * Recording an outcome:
     *  1. claim a ticket with getAndAdd on the cursor; the slot is ticket mod size (see index());
     *  2. swap PRESENT | outcome into the slot with getAndSet, which returns the evicted code;
     *  3. add contribution(new) - contribution(evicted) to the aggregate with one getAndAdd; on a
     *     failed or slow outcome, evaluate the rule on the value that getAndAdd returned plus the
     *     delta, i.e. on the aggregate exactly as this thread left it.
     *
     * Why nothing is lost: each slot's codes form one chain of atomic swaps, so every evicted code
     * is returned to exactly one swapper, which subtracts it exactly once. Once all recorders have
     * returned, the deltas of a slot telescope to contribution(current code) and the aggregate
     * equals a recount of the slots. Deltas of different threads may be applied in any order
     * (addition commutes), but in between a field can be off by one per recorder between steps 2
     * and 3, in either direction: a transient -1 is possible. The fields are therefore decoded as
     * signed numbers (sign-extend and borrow, see calls()/failed()/slow()); packed addition is
     * exact as long as every true field value stays within the signed 21-bit range [-2^20, 2^20),
     * which holds for size <= MAX_COUNT_SIZE (1,000,000) with up to 48,575 recorders in flight.
     * Readers clamp a decoded snapshot into a consistent one (clampedCalls(), clamp()): calls
     * into [0, size], failed and slow into [0, calls]. A transient is a sum that no sequential
     * history produced; neither a rate nor a WindowCounts may be built on calls < 0 or
     * failed > calls, and the clamped value is within one per recorder in flight of the truth.
     *
     * Fast path: if the slot already holds a recorded SUCCESS and SUCCESS is recorded, the swap
     * would return SUCCESS, leave the slot unchanged and add a zero delta, so it is skipped. The
     * load that saw SUCCESS stands in for the swap: it returns a value of the slot's modification
     * order (opaque loads are coherent), and a swap of SUCCESS over SUCCESS placed right at that
     * value changes neither the slot nor the aggregate, so every later state of the window is the
     * one the full swap would have produced. The skipped outcome counts as recorded and then
     * evicted by the next swap of that slot.
     *
     * Contention (successes only). A success claims its ticket with a compare-and-set rather than
     * a getAndAdd: the same instruction when it succeeds, and a failure is the signal that another
     * thread wrote the cursor in between (LongAdder's idiom). On the first failure the window
     * inflates: it publishes an array of padded cells (CAS on `cells`, once; the loser uses the
     * winner's array), and from then on every success adds one to the cell picked by its thread
     * (Fibonacci hash of the thread id: a stable cell per thread, consecutive ids spread apart) and
     * touches neither the cursor nor the ring. A cell that reaches DRAIN_AT is taken (getAndSet 0)
     * and its successes applied as one claim of that many tickets (one getAndAdd) plus the fast
     * path or a swap for each of the last min(n, size) of them (the earlier ones would be evicted
     * by the later ones within the same claim). So contended successes move the cursor's line once
     * per DRAIN_AT calls instead of once per call.
     *
     * Why batching changes no verdict and no count: every deciding observer drains first. A failed
     * or slow record takes every cell (getAndSet 0 on each non-zero one) and applies those
     * successes before it claims its own ticket. counts(), which only observes (metrics scrapes),
     * drains nothing: it computes what that drain would give, from the pending sums and the slots
     * their tickets would overwrite, and writes no shared line. A success whose cell
     * increment returned before such an observer started is therefore in the ring when the
     * observer evaluates it, in front of the observer's own outcome; successes are
     * indistinguishable, so their order among themselves is irrelevant, and a success still in a
     * cell when the observer starts was concurrent with it. Each applied swap adds its own delta
     * at once, so a drainer in flight is off by at most one, like a single recorder, and the
     * bound above holds. The window never deflates: after contention a lone thread's successes go
     * through its cell, which costs one uncontended atomic add, like the cursor did.
     *
     * Benign races:
     *  - A recorder delayed between claim and swap can swap after a recorder that claimed the same
     *    slot one lap later; the older outcome then stays and the newer one is evicted early. The
     *    ring still holds exactly min(size, recorded) outcomes and the aggregate still equals the
     *    slots: the window is the last `size` outcomes in the order of the swaps of each slot,
     *    which is the linearisation the OutcomeWindow contract refers to. The fast-path load may
     *    likewise be ordered before a concurrent swap of the same slot.
     *  - The verdict of a recorder sees the deltas of other recorders that reached step 3 before
     *    it, not those still between steps 2 and 3 (off by at most one each).
     *  - The ticket is unsigned: the ring advances continuously across 2^63; after 2^64 records
     *    (centuries at a billion records a second) the sequence of slots jumps once, which is the
     *    same benign reordering as above.
     *  - Two threads whose ids hash to the same cell share it and contend on it as they would on
     *    the cursor; nothing is lost, only the speed-up.
     *
     * Orderings: only atomicity matters for the read-modify-writes, since no other data is
     * published through the cursor, the slots, the aggregate or the cells; the slot accesses
     * depend on the ticket's value and cannot move before the claim. Java has no relaxed
     * read-modify-write; the acquire forms used here are the cheapest offered (on x86 every form is
     * the same locked instruction; on ARMv8.1 they drop the release half). Plain loads would not do
     * for the aggregate (a long may tear on 32-bit JVMs) nor for the fast path (no coherence),
     * hence opaque loads there. The one publication is the cell array: its elements are written
     * before the CAS that publishes it (a volatile write) and read after a volatile read of the
     * field, so a thread that sees the array sees its cells.
     *
     * Layout: every record writes the cursor, so its cache line moves to the recording core each
     * time; anything else that shares that line is invalidated in every other core with it. The
     * breaker reads its own fields and its BreakerState on every call, and those objects are
     * allocated right next to this one, so without padding two threads on one breaker would miss
     * twice per call instead of once. The cursor and the aggregate therefore sit alone between two
     * 128-byte pads (two lines, against the adjacent-line prefetcher), in superclasses because
     * HotSpot lays out a superclass's fields before its subclass's and never interleaves them (the
     * JCTools idiom). The two share their line on purpose: a failure writes both, and one line
     * transfer is cheaper than two. Cells are padded the same way. The cost is about 300 bytes per
     * window, plus about 300 bytes per cell once contended.
     */

    /** Slot code of a slot never written: distinct from PRESENT | SUCCESS. */
    static final byte EMPTY = 0;
    /** Set in the code of every recorded outcome. */
    static final int PRESENT = 4;

    static final int FIELD_BITS = 21;
    private static final int FAILED_SHIFT = FIELD_BITS;
    private static final int SLOW_SHIFT = 2 * FIELD_BITS;
    private static final int SIGN_SHIFT = Long.SIZE - FIELD_BITS;

    /** Pending successes at which a cell is folded into the ring: one cursor move per this many. */
    static final int DRAIN_AT = 32;
    private static final VarHandle CURSOR;
    private static final VarHandle AGGREGATE;
    private static final VarHandle CELL_ARRAY;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(byte[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CURSOR = lookup.findVarHandle(CountWindowHot.class, "cursor", long.class);
            AGGREGATE = lookup.findVarHandle(CountWindowHot.class, "aggregate", long.class);
            CELL_ARRAY = lookup.findVarHandle(CountWindow.class, "cells", Cell[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int size;
    /** floor((2^64 - 1) / size) as an unsigned long: the reciprocal used by index(). */
    private final long reciprocal;
    private final TripRule rule;
    private final byte[] slots;
    /** Null until a success finds the cursor contended; then set once. See "Contention". */
    private volatile Cell[] cells;

    CountWindow(int size, TripRule rule) {
        this(size, rule, 0L);
    }

    /** A window whose first ticket is {@code firstTicket}, so tests can start near overflow. */
    CountWindow(int size, TripRule rule, long firstTicket) {
        this(size, rule, firstTicket, false);
    }

    /**
     * A window whose first ticket is {@code firstTicket}, already inflated if {@code striped}, so
     * tests can check the contended mode deterministically.
     */
    CountWindow(int size, TripRule rule, long firstTicket, boolean striped) {
        if (size < 1 || size > SlidingWindow.MAX_COUNT_SIZE) {
            throw new IllegalArgumentException("size must be in [1, " + SlidingWindow.MAX_COUNT_SIZE
                    + "], was " + size);
        }
        this.size = size;
        this.reciprocal = reciprocal(size);
        this.rule = rule;
        this.slots = new byte[size];
        if (firstTicket != 0) {
            // Plain store, tests only: they publish the window by starting their threads.
            CURSOR.set(this, firstTicket);
        }
        if (striped) {
            inflate();
        }
    }

    @Override
    public int record(int outcome, long nowNanos) {
        if ((outcome & ~(FAILED | SLOW)) != 0) {
            throw new IllegalArgumentException("outcome must combine FAILED and SLOW, was " + outcome);
        }
        if (outcome == SUCCESS) {
            recordSuccess();
            return KEEP;
        }
        Cell[] cs = cells;
        if (cs != null) {
            drain(cs); // the successes before this outcome go in front of it: see "Contention"
        }
        int index = index(getAndAddCursorAcquire(1L), size, reciprocal);
        int code = PRESENT | outcome;
        int evicted = getAndSetSlotAcquire(index, code);
        long delta = contribution(code) - contribution(evicted);
        long after = getAndAddAggregateAcquire(delta) + delta;
        return evaluate(rule, after, size);
    }

    private void recordSuccess() {
        Cell[] cs = cells;
        if (cs == null) {
            long ticket = cursorOpaque();
            if (CURSOR.compareAndSet(this, ticket, ticket + 1)) {
                putSuccess(index(ticket, size, reciprocal));
                return;
            }
            cs = inflate(); // another thread moved the cursor in between: contended
        }
        Cell cell = cs[Cell.index()];
        if (cell.getAndAdd(1L) + 1 >= DRAIN_AT) {
            applySuccesses(cell.getAndSet(0L));
        }
    }

    /** Records a success in the slot of a claimed ticket. */
    private void putSuccess(int index) {
        int code = PRESENT | SUCCESS;
        if (slotOpaque(index) == code) {
            return; // zero delta: see "Fast path" in the implementation notes
        }
        int evicted = getAndSetSlotAcquire(index, code);
        getAndAddAggregateAcquire(contribution(code) - contribution(evicted));
    }

    /**
     * Claims {@code n} consecutive tickets and records a success in each of the last
     * {@code min(n, size)}; the earlier ones' slots are the same slots, overwritten within the claim.
     * Consecutive tickets are consecutive slots, except across 2^64 (see "Benign races").
     */
    private void applySuccesses(long n) {
        if (n <= 0) {
            return;
        }
        long first = getAndAddCursorAcquire(n);
        long k = Math.min(n, size);
        int index = index(first + (n - k), size, reciprocal);
        for (long i = 0; i < k; i++) {
            putSuccess(index);
            if (++index == size) {
                index = 0;
            }
        }
    }

    /** Takes the successes pending in every cell and applies them. */
    private void drain(Cell[] cs) {
        long n = 0;
        for (Cell cell : cs) {
            // Read first: an idle cell's line is left shared, not taken exclusive by every drain.
            if (cell.opaque() != 0L) {
                n += cell.getAndSet(0L);
            }
        }
        applySuccesses(n);
    }

    /** Publishes the cell array once; returns whichever array won. */
    private Cell[] inflate() {
        Cell[] fresh = Cell.newArray();
        Cell[] witness = (Cell[]) CELL_ARRAY.compareAndExchange(this, (Cell[]) null, fresh);
        return witness == null ? fresh : witness;
    }

    /** Whether successes now go through cells (tests and toString). */
    boolean isStriped() {
        return cells != null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Read-only: successes still pending in cells are not drained (a scrape must not write to the
     * call path's cache lines) but accounted for as the drain would apply them: each of the last
     * {@code min(pending, size)} of their tickets replaces what its slot holds now. Without
     * recorders in flight this equals draining and reading; with them, it is off by the same
     * bounded amount as any read (pending successes are concurrent with this reader).
     */
    @Override
    public WindowCounts counts(long nowNanos) {
        long packed = aggregateOpaque();
        Cell[] cs = cells;
        if (cs != null) {
            long pending = Cell.sum(cs);
            if (pending > 0) {
                long k = Math.min(pending, size);
                long first = cursorOpaque() + (pending - k);
                int index = index(first, size, reciprocal);
                long success = contribution(PRESENT | SUCCESS);
                for (long i = 0; i < k; i++) {
                    packed += success - contribution(slotOpaque(index));
                    if (++index == size) {
                        index = 0;
                    }
                }
            }
        }
        long calls = clampedCalls(packed, size);
        return new WindowCounts(calls, clamp(failed(packed), calls), clamp(slow(packed), calls));
    }

    /** The window's capacity. */
    int size() {
        return size;
    }

    /**
     * Counts the slots one by one, for tests: equal to {@link #counts} once no recorder is in
     * flight. Not atomic with respect to concurrent recorders.
     */
    WindowCounts recount() {
        Cell[] cs = cells;
        if (cs != null) {
            drain(cs);
        }
        return recountWithoutDraining();
    }

    /** Counts the slots as they are, leaving pending successes in their cells: for tests. */
    WindowCounts recountWithoutDraining() {
        long calls = 0;
        long failed = 0;
        long slow = 0;
        for (int i = 0; i < size; i++) {
            long c = contribution(slotOpaque(i));
            calls += calls(c);
            failed += failed(c);
            slow += slow(c);
        }
        return new WindowCounts(calls, failed, slow);
    }

    // ---- ticket to slot -------------------------------------------------------------------------

    /** floor((2^64 - 1) / size), unsigned. */
    static long reciprocal(int size) {
        return Long.divideUnsigned(-1L, size);
    }

    /**
     * Returns {@code ticket mod size} with {@code ticket} read as unsigned, by Barrett reduction:
     * one high multiply instead of a 64-bit division.
     *
     * <p>Proof. Let m = {@code reciprocal} = floor((2^64 - 1) / d); then m = (2^64 - e) / d with
     * 1 <= e <= d. For t < 2^64, q = floor(t * m / 2^64) = floor(t / d - t * e / (d * 2^64)) and
     * 0 <= t * e / (d * 2^64) < 1, so q is floor(t / d) or one less, and r = t - q * d lies in
     * [0, 2d): one conditional subtraction finishes. The unsigned high product is derived from the
     * signed {@link Math#multiplyHigh} (Java 17 has no {@code unsignedMultiplyHigh}) by adding back
     * each operand where the other has its top bit set; r is computed modulo 2^64 but lies below
     * 2 * size < 2^32, so it is exact. Proven against {@link Long#remainderUnsigned} in the tests,
     * including tickets near 2^63 and 2^64.
     */
    static int index(long ticket, int size, long reciprocal) {
        long q = Math.multiplyHigh(ticket, reciprocal)
                + ((ticket >> 63) & reciprocal) + ((reciprocal >> 63) & ticket);
        long r = ticket - q * size;
        return (int) (r >= size ? r - size : r);
    }

    // ---- packed aggregate -----------------------------------------------------------------------

    /** The aggregate contribution of a slot code: PRESENT counts a call, the flags their fields. */
    static long contribution(int code) {
        return (code >>> 2)
                | ((long) (code & FAILED) << FAILED_SHIFT)
                | ((long) ((code & SLOW) >>> 1) << SLOW_SHIFT);
    }

    /** Packs signed field values; packing is additive: pack(a) + pack(b) == pack(a + b). */
    static long pack(long calls, long failed, long slow) {
        return calls + (failed << FAILED_SHIFT) + (slow << SLOW_SHIFT);
    }

    /** The signed calls field: the low 21 bits, sign-extended. */
    static long calls(long packed) {
        return (packed << SIGN_SHIFT) >> SIGN_SHIFT;
    }

    /**
     * The signed failed field. Subtracting the signed low field first undoes the borrow that a
     * negative calls field took from the bits above it; the shift is then exact.
     */
    static long failed(long packed) {
        long upper = (packed - calls(packed)) >> FIELD_BITS;
        return (upper << SIGN_SHIFT) >> SIGN_SHIFT;
    }

    /** The signed slow field: what remains above the two lower fields, with their borrows undone. */
    static long slow(long packed) {
        long upper = (packed - calls(packed)) >> FIELD_BITS;
        return (upper - ((upper << SIGN_SHIFT) >> SIGN_SHIFT)) >> FIELD_BITS;
    }

    /** Calls clamped into [0, size]; a transient overshoots by at most the recorders in flight. */
    static long clampedCalls(long packed, int size) {
        return Math.min(Math.max(calls(packed), 0), size);
    }

    /** A failed or slow field clamped into [0, calls]. */
    static long clamp(long field, long calls) {
        return Math.min(Math.max(field, 0), calls);
    }

    /**
     * Evaluates the rule on a possibly transient aggregate. Clamping makes it the nearest
     * consistent snapshot: a rate above 100 % or below 0 % from a half-applied swap must not decide
     * a trip, and the error is bounded by the recorders in flight anyway.
     */
    static int evaluate(TripRule rule, long packed, int size) {
        long calls = clampedCalls(packed, size);
        return rule.evaluate(calls, clamp(failed(packed), calls), clamp(slow(packed), calls));
    }

    // ---- accessors ------------------------------------------------------------------------------

    private long getAndAddCursorAcquire(long n) {
        return (long) CURSOR.getAndAddAcquire(this, n);
    }

    private long cursorOpaque() {
        return (long) CURSOR.getOpaque(this);
    }

    private int slotOpaque(int index) {
        return (byte) SLOTS.getOpaque(slots, index);
    }

    private int getAndSetSlotAcquire(int index, int code) {
        return (byte) SLOTS.getAndSetAcquire(slots, index, (byte) code);
    }

    private long getAndAddAggregateAcquire(long delta) {
        return (long) AGGREGATE.getAndAddAcquire(this, delta);
    }

    private long aggregateOpaque() {
        return (long) AGGREGATE.getOpaque(this);
    }

    @Override
    public String toString() {
        return "CountWindow(" + size + (isStriped() ? ", striped" : "") + ")" + counts(0L);
    }
}

/** Padding before the hot fields of {@link CountWindow}; see "Layout" there. */
abstract class CountWindowHeadPad {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The written fields of {@link CountWindow}, alone on their cache line. */
abstract class CountWindowHot extends CountWindowHeadPad {
    /** The next ticket, unsigned. Accessed only through CountWindow.CURSOR. */
    volatile long cursor;
    /** calls | failed << 21 | slow << 42, signed fields. Accessed only through CountWindow.AGGREGATE. */
    volatile long aggregate;
}

/** Padding after the hot fields of {@link CountWindow}; see "Layout" there. */
abstract class CountWindowTailPad extends CountWindowHot {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
}

