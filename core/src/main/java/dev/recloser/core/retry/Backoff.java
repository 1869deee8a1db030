package dev.recloser.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The delay before each retry: a shape (none, fixed, linear or exponential), a cap and a
 * {@link Jitter}.
 *
 * <p>Every backoff has a cap, its maximum delay: {@code max} for linear and exponential, the delay
 * itself for {@link #fixed(Duration)} and zero for {@link #none()}. No delay ever exceeds the cap,
 * jitter included: jitter only spreads delays below it (so a fixed backoff with jitter only ever
 * shortens its delay). Growth saturates at the cap, so any retry number, up to
 * {@link Integer#MAX_VALUE}, is safe.
 *
 * <p>Immutable and thread-safe; {@link #delayNanos} allocates nothing and may be called
 * concurrently with any random source that is itself thread-safe. A backoff is a template: keep one
 * in a constant and share it.
 */
public final class Backoff {

    private enum Kind { NONE, FIXED, LINEAR, EXPONENTIAL }

    private static final Backoff NONE = new Backoff(Kind.NONE, 0L, 0L, 1.0, 0L, Jitter.none());

    private final Kind kind;
    private final long initialNanos;
    private final long incrementNanos;
    private final double multiplier;
    private final long maxNanos;
    private final Jitter jitter;

    private Backoff(Kind kind, long initialNanos, long incrementNanos, double multiplier, long maxNanos,
            Jitter jitter) {
        this.kind = kind;
        this.initialNanos = initialNanos;
        this.incrementNanos = incrementNanos;
        this.multiplier = multiplier;
        this.maxNanos = maxNanos;
        this.jitter = jitter;
    }

    /** No delay: every retry follows at once (jitter has nothing to spread). */
    public static Backoff none() {
        return NONE;
    }

    /**
     * The same delay before every retry; the delay is also the cap.
     *
     * @param delay {@code >= 0}
     * @throws IllegalArgumentException if {@code delay} is negative or longer than about 292 years
     * @throws NullPointerException     if {@code delay} is null
     */
    public static Backoff fixed(Duration delay) {
        long nanos = Checks.nonNegativeNanos("delay", delay);
        return new Backoff(Kind.FIXED, nanos, 0L, 1.0, nanos, Jitter.none());
    }

    /**
     * {@code min(max, initial + (retry - 1) * increment)}: {@code initial} before the first retry,
     * growing by {@code increment} before each further one.
     *
     * @param initial   the first delay, {@code >= 0}
     * @param increment added per retry, {@code > 0} (use {@link #fixed} for a constant delay)
     * @param max       the cap, {@code > 0} and {@code >= initial}
     * @throws IllegalArgumentException if a value is out of range
     * @throws NullPointerException     if a value is null
     */
    public static Backoff linear(Duration initial, Duration increment, Duration max) {
        long initialNanos = Checks.nonNegativeNanos("initial", initial);
        long incrementNanos = Checks.positiveNanos("increment", increment);
        long maxNanos = Checks.positiveNanos("max", max);
        requireMaxAtLeastInitial(initial, max, initialNanos, maxNanos);
        return new Backoff(Kind.LINEAR, initialNanos, incrementNanos, 1.0, maxNanos, Jitter.none());
    }

    /**
     * {@code min(max, initial * multiplier^(retry - 1))}: {@code initial} before the first retry,
     * multiplied by {@code multiplier} before each further one.
     *
     * @param initial    the first delay, {@code > 0}
     * @param multiplier finite and {@code >= 1.0}
     * @param max        the cap, {@code >= initial}
     * @throws IllegalArgumentException if a value is out of range (NaN and infinity included)
     * @throws NullPointerException     if a duration is null
     */
    public static Backoff exponential(Duration initial, double multiplier, Duration max) {
        long initialNanos = Checks.positiveNanos("initial", initial);
        if (!(multiplier >= 1.0 && multiplier < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("multiplier must be finite and >= 1.0, was " + multiplier);
        }
        long maxNanos = Checks.positiveNanos("max", max);
        requireMaxAtLeastInitial(initial, max, initialNanos, maxNanos);
        return new Backoff(Kind.EXPONENTIAL, initialNanos, 0L, multiplier, maxNanos, Jitter.none());
    }

    private static void requireMaxAtLeastInitial(Duration initial, Duration max, long initialNanos,
            long maxNanos) {
        if (maxNanos < initialNanos) {
            throw new IllegalArgumentException("max must be >= initial (" + initial + "), was " + max);
        }
    }

    /**
     * Returns a copy of this backoff with {@code jitter} in place of its current jitter (a new backoff
     * starts with {@link Jitter#none()}).
     *
     * @throws NullPointerException if {@code jitter} is null
     */
    public Backoff withJitter(Jitter jitter) {
        Objects.requireNonNull(jitter, "jitter");
        if (kind == Kind.NONE) {
            return this;
        }
        return new Backoff(kind, initialNanos, incrementNanos, multiplier, maxNanos, jitter);
    }

    /**
     * The delay before a retry, in nanoseconds, always in {@code [0, maxDelay()]}.
     *
     * @param retry              1 for the first retry (the second attempt), 2 for the second, ...;
     *                           any value up to {@link Integer#MAX_VALUE} is safe
     * @param previousDelayNanos the delay actually waited before the previous retry (what this method,
     *                           or {@link RetryPolicy#nextDelayNanos}, returned last time for the
     *                           same call), or 0 for the first retry; only
     *                           {@link Jitter#decorrelated()} reads it, and a value {@code <= 0}
     *                           counts as "no previous delay"
     * @param random             a source of numbers in {@code [0, 1)}; consulted at most once, and not
     *                           at all without jitter; values outside {@code [0, 1)} cannot push the
     *                           result out of bounds
     * @throws IllegalArgumentException if {@code retry < 1}
     */
    public long delayNanos(int retry, long previousDelayNanos, DoubleSupplier random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be >= 1, was " + retry);
        }
        return jitter.apply(baseNanos(retry), initialNanos, maxNanos, previousDelayNanos, random);
    }

    /** The un-jittered delay, in {@code [initial, max]}. */
    private long baseNanos(int retry) {
        long steps = retry - 1L;
        switch (kind) {
            case LINEAR:
                // Compare before multiplying: steps * increment may overflow a long.
                if (steps > (maxNanos - initialNanos) / incrementNanos) {
                    return maxNanos;
                }
                return initialNanos + steps * incrementNanos;
            case EXPONENTIAL: {
                // In double, pow overflows to +Infinity instead of wrapping, and any value at or
                // above the cap (Infinity included) is replaced by the cap before the long cast; the
                // min guards against the cap itself rounding up when converted to double.
                double nanos = initialNanos * Math.pow(multiplier, steps);
                return nanos < maxNanos ? Math.min((long) nanos, maxNanos) : maxNanos;
            }
            default:
                return initialNanos;
        }
    }

    /** The delay before the first retry, before jitter. */
    public Duration initialDelay() {
        return Duration.ofNanos(initialNanos);
    }

    /** The cap: no delay, jitter included, is ever longer. */
    public Duration maxDelay() {
        return Duration.ofNanos(maxNanos);
    }

    /** This backoff's jitter. */
    public Jitter jitter() {
        return jitter;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Backoff)) {
            return false;
        }
        Backoff b = (Backoff) o;
        return kind == b.kind && initialNanos == b.initialNanos && incrementNanos == b.incrementNanos
                && Double.compare(multiplier, b.multiplier) == 0 && maxNanos == b.maxNanos
                && jitter.equals(b.jitter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, initialNanos, incrementNanos, multiplier, maxNanos, jitter);
    }

    @Override
    public String toString() {
        String shape;
        switch (kind) {
            case NONE:
                return "Backoff.none()";
            case FIXED:
                shape = "Backoff.fixed(" + initialDelay() + ")";
                break;
            case LINEAR:
                shape = "Backoff.linear(" + initialDelay() + ", " + Duration.ofNanos(incrementNanos) + ", "
                        + maxDelay() + ")";
                break;
            default:
                shape = "Backoff.exponential(" + initialDelay() + ", " + multiplier + ", " + maxDelay() + ")";
                break;
        }
        return jitter.equals(Jitter.none()) ? shape : shape + ".withJitter(" + jitter + ")";
    }
}
