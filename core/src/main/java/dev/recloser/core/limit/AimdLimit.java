package dev.recloser.core.limit;

import java.time.Duration;

/**
 * Additive increase, multiplicative decrease: a loss-based algorithm. After a window with a drop (a
 * call reported with {@link ConcurrencyLimiter#onDropped(long)}, or one slower than
 * {@link #timeout()}), the limit is multiplied by {@link #backoffRatio()}; after a window without
 * one, in which the calls in flight reached at least half the limit, it grows by 1. It does not
 * look at latency otherwise, so it finds a dependency's capacity only if overload shows as drops
 * (timeouts, 503s); a dependency that just queues makes it grow to {@link #maxLimit()}.
 *
 * <p>Immutable and thread-safe. Defaults are those of Netflix concurrency-limits'
 * {@code AIMDLimit.Builder} (initial 20, min 20, max 200, backoff ratio 0.9, timeout 5 s).
 */
public final class AimdLimit extends LimitAlgorithm {

    private static final AimdLimit DEFAULTS = builder().build();

    private final int initialLimit;
    private final int minLimit;
    private final int maxLimit;
    private final double backoffRatio;
    private final long timeoutNanos;

    private AimdLimit(Builder b) {
        this.initialLimit = b.initialLimit;
        this.minLimit = b.minLimit;
        this.maxLimit = b.maxLimit;
        this.backoffRatio = b.backoffRatio;
        this.timeoutNanos = b.timeoutNanos;
    }

    /** AIMD with the defaults listed on the builder. */
    public static AimdLimit defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this algorithm's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.initialLimit = initialLimit;
        b.minLimit = minLimit;
        b.maxLimit = maxLimit;
        b.backoffRatio = backoffRatio;
        b.timeoutNanos = timeoutNanos;
        return b;
    }

    @Override
    public int initialLimit() {
        return initialLimit;
    }

    @Override
    public int minLimit() {
        return minLimit;
    }

    @Override
    public int maxLimit() {
        return maxLimit;
    }

    /** The factor applied to the limit after a window with a drop, in {@code [0.5, 1)}. */
    public double backoffRatio() {
        return backoffRatio;
    }

    /** A call slower than this counts as a drop. */
    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    @Override
    long dropAboveNanos() {
        return timeoutNanos;
    }

    @Override
    LimitState start(long seed) {
        return new State(initialLimit);
    }

    @Override
    LimitState next(LimitState previous, WindowSample sample) {
        int limit = previous.limit();
        double next;
        if (sample.dropped()) {
            next = limit * backoffRatio;
        } else if (sample.maxInFlight() * 2 >= limit) {
            next = limit + 1; // grow only when the limit is actually in use (not app-limited)
        } else {
            return previous;
        }
        return new State((int) clamp(next));
    }

    @Override
    public String toString() {
        return "AimdLimit{initialLimit=" + initialLimit + ", minLimit=" + minLimit + ", maxLimit=" + maxLimit
                + ", backoffRatio=" + backoffRatio + ", timeout=" + timeout() + '}';
    }

    /** The estimate: just the limit. */
    record State(int limit) implements LimitState {
    }

    /**
     * Builds an {@link AimdLimit}; each setter validates its value at once (an
     * {@link IllegalArgumentException} naming the option and the value), {@link #build()} checks
     * {@code minLimit <= initialLimit <= maxLimit}. Not thread-safe.
     */
    public static final class Builder {
        private int initialLimit = 20;
        private int minLimit = 20;
        private int maxLimit = 200;
        private double backoffRatio = 0.9;
        private long timeoutNanos = Duration.ofSeconds(5).toNanos();

        private Builder() {
        }

        /** The starting limit, {@code >= 1}; default 20. */
        public Builder initialLimit(int initialLimit) {
            this.initialLimit = Checks.atLeast("initialLimit", initialLimit, 1);
            return this;
        }

        /** The smallest limit, {@code >= 1}; default 20. */
        public Builder minLimit(int minLimit) {
            this.minLimit = Checks.atLeast("minLimit", minLimit, 1);
            return this;
        }

        /** The largest limit, {@code >= 1}; default 200. */
        public Builder maxLimit(int maxLimit) {
            this.maxLimit = Checks.atLeast("maxLimit", maxLimit, 1);
            return this;
        }

        /** The multiplicative decrease after a drop, in {@code [0.5, 1)} (Netflix's range); default 0.9. */
        public Builder backoffRatio(double backoffRatio) {
            this.backoffRatio = Checks.inRange("backoffRatio", backoffRatio, 0.5, 1.0, false);
            return this;
        }

        /** A call slower than this counts as a drop; positive; default 5 s. */
        public Builder timeout(Duration timeout) {
            this.timeoutNanos = Checks.positiveNanos("timeout", timeout);
            return this;
        }

        /** The algorithm. @throws IllegalArgumentException unless {@code minLimit <= initialLimit <= maxLimit} */
        public AimdLimit build() {
            Checks.limits("AimdLimit", initialLimit, minLimit, maxLimit);
            return new AimdLimit(this);
        }
    }
}
