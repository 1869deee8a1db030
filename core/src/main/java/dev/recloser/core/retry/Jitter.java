package dev.recloser.core.retry;

import java.util.function.DoubleSupplier;

/**
 * How a {@link Backoff} spreads its delays so that clients failing together do not retry together.
 *
 * <p>Every jitter keeps the delay within {@code [0, cap]}, where the cap is the backoff's maximum
 * delay: jitter never produces a delay above the cap, even when the un-jittered delay already sits
 * at the cap. With {@code d} the un-jittered delay of a retry ({@code d <= cap}) and {@code r} a
 * random number in {@code [0, 1)}:
 * <ul>
 *   <li>{@link #none()}: {@code d}; the random source is not consulted;</li>
 *   <li>{@link #full()}: {@code r * d}, uniform in {@code [0, d)};</li>
 *   <li>{@link #equal()}: {@code d/2 + r * (d - d/2)}, uniform in {@code [d/2, d)};</li>
 *   <li>{@link #decorrelated()}: AWS "decorrelated jitter",
 *       {@code min(cap, initial + r * (3 * previous - initial))} where {@code previous} is the delay
 *       of the previous retry ({@code initial} for the first retry, and whenever
 *       {@code 3 * previous <= initial}, which then yields {@code initial}); it ignores {@code d},
 *       so the backoff's multiplier or increment play no part;</li>
 *   <li>{@link #factor(double) factor(f)}: uniform in {@code [d * (1 - f), min(cap, d * (1 + f)))};
 *       centred on {@code d} unless the cap cuts the upper half off, in which case the draw is
 *       spread over what remains below the cap rather than piled up at the cap.</li>
 * </ul>
 * Delays are whole nanoseconds; fractions are truncated, and double rounding may reach the upper
 * end of an interval (never beyond it).
 *
 * <p>Immutable and thread-safe; applying a jitter allocates nothing.
 */
public final class Jitter {

    private enum Kind { NONE, FULL, EQUAL, DECORRELATED, FACTOR }

    private static final Jitter NONE = new Jitter(Kind.NONE, 0.0);
    private static final Jitter FULL = new Jitter(Kind.FULL, 0.0);
    private static final Jitter EQUAL = new Jitter(Kind.EQUAL, 0.0);
    private static final Jitter DECORRELATED = new Jitter(Kind.DECORRELATED, 0.0);

    private final Kind kind;
    private final double factor;

    private Jitter(Kind kind, double factor) {
        this.kind = kind;
        this.factor = factor;
    }

    /** No jitter: every delay is exactly the backoff's computed delay. */
    public static Jitter none() {
        return NONE;
    }

    /** Full jitter: uniform in {@code [0, d)}; spreads best, but a retry may follow almost at once. */
    public static Jitter full() {
        return FULL;
    }

    /** Equal jitter: uniform in {@code [d/2, d)}; keeps at least half of each delay. */
    public static Jitter equal() {
        return EQUAL;
    }

    /**
     * Decorrelated jitter (AWS architecture blog, "Exponential Backoff And Jitter"): each delay is
     * drawn from {@code [initial, 3 * previous)} and capped, so it depends on the previous delay
     * rather than on the retry number.
     */
    public static Jitter decorrelated() {
        return DECORRELATED;
    }

    /**
     * Proportional jitter: uniform in {@code [d * (1 - f), d * (1 + f))}, with the upper bound cut
     * at the backoff's cap (see the class description).
     *
     * @param f the relative spread, in {@code (0, 1]}
     * @throws IllegalArgumentException if {@code f} is not in {@code (0, 1]} (NaN included)
     */
    public static Jitter factor(double f) {
        if (!(f > 0.0 && f <= 1.0)) {
            throw new IllegalArgumentException("factor must be in (0, 1], was " + f);
        }
        return new Jitter(Kind.FACTOR, f);
    }

    /**
     * Applies this jitter. All arguments are nanoseconds; {@code 0 <= baseNanos <= capNanos} and
     * {@code 0 <= initialNanos <= capNanos} are guaranteed by {@link Backoff}.
     */
    long apply(long baseNanos, long initialNanos, long capNanos, long previousNanos, DoubleSupplier random) {
        switch (kind) {
            case NONE:
                return baseNanos;
            case FULL:
                return between(0L, baseNanos, random.getAsDouble());
            case EQUAL: {
                long half = baseNanos >>> 1;
                return between(half, baseNanos, random.getAsDouble());
            }
            case DECORRELATED: {
                long previous = previousNanos > 0 ? previousNanos : initialNanos;
                // Saturating 3 * previous: a long-running policy must not wrap to a negative delay.
                long upper = previous > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : previous * 3;
                if (upper <= initialNanos) {
                    return initialNanos;
                }
                // AWS's formula as published: draw first, cap afterwards.
                return Math.min(capNanos, between(initialNanos, upper, random.getAsDouble()));
            }
            case FACTOR: {
                // d * f <= d in exact arithmetic, but above 2^53 ns the double product can round up
                // past d (f = 1): clamp so the lower bound never goes negative. Neither bound can
                // overflow; the upper bound is cut at the cap.
                long spread = Math.min(baseNanos, (long) (baseNanos * factor));
                long lower = baseNanos - spread;
                long upper = capNanos - baseNanos < spread ? capNanos : baseNanos + spread;
                return between(lower, upper, random.getAsDouble());
            }
            default:
                throw new AssertionError(kind);
        }
    }

    /**
     * {@code lower + r * (upper - lower)}, kept within {@code [lower, upper]} even if the random
     * source misbehaves (returns 1.0, a negative number or NaN) or the double product rounds up past
     * the span, so a bad supplier can never push a delay past the cap.
     */
    private static long between(long lower, long upper, double r) {
        long span = upper - lower;
        long offset = (long) (r * span);
        if (offset > span) {
            offset = span;
        } else if (offset < 0) {
            offset = 0;
        }
        return lower + offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Jitter && ((Jitter) o).kind == kind
                && Double.compare(((Jitter) o).factor, factor) == 0;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(factor);
    }

    @Override
    public String toString() {
        switch (kind) {
            case NONE:
                return "Jitter.none()";
            case FULL:
                return "Jitter.full()";
            case EQUAL:
                return "Jitter.equal()";
            case DECORRELATED:
                return "Jitter.decorrelated()";
            default:
                return "Jitter.factor(" + factor + ")";
        }
    }
}
