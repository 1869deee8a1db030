package dev.recloser.core.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks shared by the retry configuration types, so that every option is rejected with
 * the same message shape: {@code "<option> must be <rule>, was <value>"}.
 */
final class Checks {

    private Checks() {
    }

    /** {@code d} in nanoseconds; rejects null, negative and durations that do not fit a long. */
    static long nonNegativeNanos(String option, Duration d) {
        Objects.requireNonNull(d, option);
        if (d.isNegative()) {
            throw new IllegalArgumentException(option + " must be >= 0, was " + d);
        }
        return toNanos(option, d);
    }

    /** {@code d} in nanoseconds; rejects null, zero, negative and durations that do not fit a long. */
    static long positiveNanos(String option, Duration d) {
        Objects.requireNonNull(d, option);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be > 0, was " + d);
        }
        return toNanos(option, d);
    }

    private static long toNanos(String option, Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    option + " must be at most Long.MAX_VALUE ns (about 292 years), was " + d, e);
        }
    }
}
