package dev.recloser.core.limit;

import java.time.Duration;
import java.util.Objects;

/** Argument checks whose messages name the option and the value. */
final class Checks {

    private Checks() {
    }

    static int atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    /** {@code value} in {@code [min, max]} for {@code closedMax}, else in {@code [min, max)}; rejects NaN. */
    static double inRange(String option, double value, double min, double max, boolean closedMax) {
        boolean ok = value >= min && (closedMax ? value <= max : value < max);
        if (!ok) {
            throw new IllegalArgumentException(option + " must be in [" + min + ", " + max + (closedMax ? "]" : ")")
                    + ", was " + value);
        }
        return value;
    }

    static long positiveNanos(String option, Duration value) {
        Objects.requireNonNull(value, option);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
        return saturatedNanos(option, value);
    }

    static long nonNegativeNanos(String option, Duration value) {
        Objects.requireNonNull(value, option);
        if (value.isNegative()) {
            throw new IllegalArgumentException(option + " must not be negative, was " + value);
        }
        return saturatedNanos(option, value);
    }

    private static long saturatedNanos(String option, Duration value) {
        try {
            return value.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(option + " must be at most ~292 years, was " + value, e);
        }
    }

    /** Checks {@code min <= initial <= max} at build time, naming all three options. */
    static void limits(String algorithm, int initialLimit, int minLimit, int maxLimit) {
        if (minLimit > maxLimit) {
            throw new IllegalArgumentException(algorithm + ": minLimit (" + minLimit + ") must be <= maxLimit ("
                    + maxLimit + ")");
        }
        if (initialLimit < minLimit || initialLimit > maxLimit) {
            throw new IllegalArgumentException(algorithm + ": initialLimit must be in [minLimit, maxLimit] = ["
                    + minLimit + ", " + maxLimit + "], was " + initialLimit);
        }
    }
}
