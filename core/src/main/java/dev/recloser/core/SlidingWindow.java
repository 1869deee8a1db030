package dev.recloser.core;

import java.time.Duration;
import java.util.Objects;

/**
 * An immutable description of a sliding window of call outcomes: either the last N outcomes
 * ({@link #countBased(int)}) or the outcomes of the last period of time, kept in buckets
 * ({@link #timeBased(Duration, int)}).
 *
 * <p>Immutable, thread-safe and reusable: each CLOSED period of a breaker gets its own live window
 * built from this description.
 */
public final class SlidingWindow {

    /**
     * The largest count-based window. Its counts are packed into three signed 21-bit fields of one
     * long; 1,000,000 leaves headroom for the transient overshoot of recorders in flight.
     */
    public static final int MAX_COUNT_SIZE = 1_000_000;
    /**
     * The largest number of buckets in a time-based window. Each bucket counts up to 2^32 - 1
     * failed and as many slow outcomes.
     */
    public static final int MAX_BUCKETS = 1_000;

    /** The kind of window. */
    public enum Type { COUNT_BASED, TIME_BASED }

    private final Type type;
    private final int size;
    private final Duration length;
    private final int buckets;

    private SlidingWindow(Type type, int size, Duration length, int buckets) {
        this.type = type;
        this.size = size;
        this.length = length;
        this.buckets = buckets;
    }

    /**
     * A window over the last {@code size} recorded outcomes.
     *
     * @param size 1 to {@value #MAX_COUNT_SIZE}
     * @throws IllegalArgumentException if {@code size} is out of range
     */
    public static SlidingWindow countBased(int size) {
        if (size < 1 || size > MAX_COUNT_SIZE) {
            throw new IllegalArgumentException(
                    "slidingWindow.size must be in [1, " + MAX_COUNT_SIZE + "], was " + size);
        }
        return new SlidingWindow(Type.COUNT_BASED, size, null, 0);
    }

    /**
     * A window over the outcomes of the last {@code length} of time, split into {@code buckets}
     * equal buckets; the oldest bucket expires as a whole, so the window covers between
     * {@code length - length/buckets} and {@code length} of history.
     *
     * @param length  positive, at least one nanosecond per bucket; each bucket spans
     *                {@code length / buckets} rounded down to the nanosecond
     * @param buckets 1 to {@value #MAX_BUCKETS}
     * @throws IllegalArgumentException if a value is out of range
     * @throws NullPointerException     if {@code length} is null
     */
    public static SlidingWindow timeBased(Duration length, int buckets) {
        Objects.requireNonNull(length, "slidingWindow.length");
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("slidingWindow.length must be positive, was " + length);
        }
        if (buckets < 1 || buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException(
                    "slidingWindow.buckets must be in [1, " + MAX_BUCKETS + "], was " + buckets);
        }
        long nanos;
        try {
            nanos = length.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("slidingWindow.length is too long, was " + length, e);
        }
        if (nanos < buckets) {
            throw new IllegalArgumentException("slidingWindow.length must be at least one nanosecond per bucket ("
                    + buckets + " buckets), was " + length);
        }
        return new SlidingWindow(Type.TIME_BASED, 0, length, buckets);
    }

    /** The kind of window. */
    public Type type() {
        return type;
    }

    /** The number of outcomes of a count-based window; 0 for a time-based one. */
    public int size() {
        return size;
    }

    /** The period a time-based window covers; {@code null} for a count-based one. */
    public Duration length() {
        return length;
    }

    /** The number of buckets of a time-based window; 0 for a count-based one. */
    public int buckets() {
        return buckets;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlidingWindow w && w.type == type && w.size == size
                && Objects.equals(w.length, length) && w.buckets == buckets;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, size, length, buckets);
    }

    @Override
    public String toString() {
        return type == Type.COUNT_BASED
                ? "SlidingWindow.countBased(" + size + ")"
                : "SlidingWindow.timeBased(" + length + ", " + buckets + ")";
    }
}
