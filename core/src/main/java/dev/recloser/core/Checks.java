package dev.recloser.core;

import java.time.Duration;
import java.util.Objects;

/** Argument checks whose messages name the option and the value. */
final class Checks {

    private Checks() {
    }

    static double percent(String option, double value) {
        if (!(value > 0.0 && value <= 100.0)) { // the negated form also rejects NaN
            throw new IllegalArgumentException(option + " must be in (0, 100] percent, was " + value);
        }
        return value;
    }

    static int atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    static long positiveNanos(String option, Duration value) {
        Objects.requireNonNull(value, option);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
        try {
            return value.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(option + " must be at most ~292 years, was " + value, e);
        }
    }
}
