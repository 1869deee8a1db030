package dev.recloser.core.internal.window;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One counter of a striped count (LongAdder's idea, for the windows' contended success paths):
 * each thread adds to the cell its id hashes to, so threads on different cores do not move one
 * cache line between them on every call. Padded so that no two cells, and no cell and anything
 * else, share a cache line.
 *
 * <p>The cell a thread uses is a Fibonacci hash of its id: stable for the thread's life (no
 * per-thread state to keep, nothing allocated per virtual thread), and consecutive ids, which is
 * how pools number their threads, land in different cells. Two threads that do share a cell
 * contend on it as they would on an unstriped counter: nothing is lost but the speed-up.
 * Only atomicity matters for these counters: they publish no other data.
 */
final class Cell extends CellTailPad {

    /**
     * Cells per array: twice the processors, a power of two, at least 2 and at most 32. The cap:
     * 32 cells are about 9 KB per contended window or bucket, which a breaker per host times many
     * hosts must keep cheap, and a failure reads every cell when it drains.
     */
    static final int COUNT = Math.min(32,
            Integer.highestOneBit(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()) * 2 - 1));
    private static final int SHIFT = Long.SIZE - Integer.numberOfTrailingZeros(COUNT);
    /** 2^64 / golden ratio, odd: Fibonacci hashing. */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(CellHot.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A fresh array of {@link #COUNT} zeroed cells. */
    static Cell[] newArray() {
        Cell[] cells = new Cell[COUNT];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = new Cell();
        }
        return cells;
    }

    /** The calling thread's cell index in an array from {@link #newArray()}. */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() exists only from Java 19
    static int index() {
        return (int) ((Thread.currentThread().getId() * GOLDEN) >>> SHIFT);
    }

    /** Sums the cells' values (opaque loads: not a snapshot while writers are in flight). */
    static long sum(Cell[] cells) {
        long sum = 0;
        for (Cell cell : cells) {
            sum += cell.opaque();
        }
        return sum;
    }

    long getAndAdd(long delta) {
        return (long) VALUE.getAndAddAcquire(this, delta);
    }

    long getAndSet(long value) {
        return (long) VALUE.getAndSetAcquire(this, value);
    }

    long opaque() {
        return (long) VALUE.getOpaque(this);
    }
}

/** Padding before a {@link Cell}'s counter. */
abstract class CellHeadPad {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** A {@link Cell}'s counter, alone on its cache line. */
abstract class CellHot extends CellHeadPad {
    /** Accessed only through Cell.VALUE. */
    volatile long value;
}

/** Padding after a {@link Cell}'s counter. */
abstract class CellTailPad extends CellHot {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
}
