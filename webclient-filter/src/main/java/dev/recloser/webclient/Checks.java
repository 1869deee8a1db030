package dev.recloser.webclient;

import java.time.Duration;
import java.util.Objects;

/** Argument checks that name the option and the rejected value, as every Recloser builder does. */
final class Checks {

    private Checks() {
    }

    /**
     * {@code value} if it is positive and fits in a {@code long} of nanoseconds.
     *
     * @throws NullPointerException     naming {@code option} if null
     * @throws IllegalArgumentException naming {@code option} and the value otherwise
     */
    static Duration positive(String option, Duration value) {
        Objects.requireNonNull(value, option);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
        try {
            value.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(option + " must be at most ~292 years, was " + value, e);
        }
        return value;
    }

    /** {@code value} if it is at least {@code min}; otherwise an IllegalArgumentException naming both. */
    static int atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be >= " + min + ", was " + value);
        }
        return value;
    }
}
