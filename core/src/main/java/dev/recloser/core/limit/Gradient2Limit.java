package dev.recloser.core.limit;

/**
 * A delay-based algorithm that compares the window's average latency ({@code shortRtt}) with a
 * long-term exponential average of it ({@code longRtt}, over {@link #longWindow()} windows after a
 * warm-up of 10):
 * <pre>{@code
 * gradient = clamp(rttTolerance * longRtt / shortRtt, 0.5, 1.0)
 * target   = limit * gradient + queueSize
 * limit    = limit * (1 - smoothing) + target * smoothing        // then clamped to [minLimit, maxLimit]
 * }</pre>
 * While latency stays within {@code rttTolerance} of its long-term level the limit grows by
 * {@code queueSize * smoothing} per window; when it rises beyond, the limit shrinks (by at most half
 * per window before smoothing). When {@code longRtt} exceeds twice {@code shortRtt} (the dependency
 * recovered after a long overload), {@code longRtt} decays by 5% per window so that the limit can
 * grow again. The limit does not change while fewer than half of it are in flight.
 *
 * <p>Immutable and thread-safe. Defaults are those of Netflix concurrency-limits'
 * {@code Gradient2Limit.Builder} (initial 20, min 20, max 200 as {@code maxConcurrency}, smoothing
 * 0.2, queue size 4, long window 600, rtt tolerance 1.5); Netflix's long window counts samples, here
 * windows.
 */
public final class Gradient2Limit extends LimitAlgorithm {

    private static final Gradient2Limit DEFAULTS = builder().build();
    /** Windows averaged arithmetically before the exponential average starts (Netflix's warm-up). */
    private static final int WARMUP_WINDOWS = 10;

    private final int initialLimit;
    private final int minLimit;
    private final int maxLimit;
    private final double smoothing;
    private final int queueSize;
    private final int longWindow;
    private final double rttTolerance;

    private Gradient2Limit(Builder b) {
        this.initialLimit = b.initialLimit;
        this.minLimit = b.minLimit;
        this.maxLimit = b.maxLimit;
        this.smoothing = b.smoothing;
        this.queueSize = b.queueSize;
        this.longWindow = b.longWindow;
        this.rttTolerance = b.rttTolerance;
    }

    /** Gradient2 with the defaults listed on the builder. */
    public static Gradient2Limit defaults() {
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
        b.smoothing = smoothing;
        b.queueSize = queueSize;
        b.longWindow = longWindow;
        b.rttTolerance = rttTolerance;
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

    /** The weight of a new estimate, in {@code (0, 1]}. */
    public double smoothing() {
        return smoothing;
    }

    /** How much the limit may grow per window (before smoothing) while latency stays level. */
    public int queueSize() {
        return queueSize;
    }

    /** The windows the long-term latency averages over. */
    public int longWindow() {
        return longWindow;
    }

    /** How much latency may rise over its long-term level before the limit shrinks, {@code >= 1}. */
    public double rttTolerance() {
        return rttTolerance;
    }

    @Override
    LimitState start(long seed) {
        return new State(initialLimit, 0.0, 0);
    }

    @Override
    LimitState next(LimitState previous, WindowSample sample) {
        State p = (State) previous;
        double shortRtt = Math.max(1L, sample.avgRttNanos());
        double longRtt;
        int count = p.longCount;
        if (count < WARMUP_WINDOWS) {
            count++;
            longRtt = p.longRttNanos + (shortRtt - p.longRttNanos) / count; // running mean
        } else {
            double factor = 2.0 / (longWindow + 1);
            longRtt = p.longRttNanos * (1 - factor) + shortRtt * factor;
        }
        if (longRtt / shortRtt > 2) {
            longRtt *= 0.95; // recovering from a long overload: let the baseline come down faster
        }
        double estimate = p.estimate;
        if (sample.maxInFlight() < estimate / 2) {
            return new State(estimate, longRtt, count); // app-limited: no change
        }
        double gradient = Math.max(0.5, Math.min(1.0, rttTolerance * longRtt / shortRtt));
        double target = estimate * gradient + queueSize;
        double next = clamp(estimate * (1 - smoothing) + target * smoothing);
        return new State(next, longRtt, count);
    }

    @Override
    public String toString() {
        return "Gradient2Limit{initialLimit=" + initialLimit + ", minLimit=" + minLimit + ", maxLimit=" + maxLimit
                + ", smoothing=" + smoothing + ", queueSize=" + queueSize + ", longWindow=" + longWindow
                + ", rttTolerance=" + rttTolerance + '}';
    }

    /** The estimate as a double, the long-term latency and the windows it has averaged (for the warm-up). */
    record State(double estimate, double longRttNanos, int longCount) implements LimitState {
        @Override
        public int limit() {
            return (int) estimate;
        }
    }

    /**
     * Builds a {@link Gradient2Limit}; each setter validates its value at once (an
     * {@link IllegalArgumentException} naming the option and the value), {@link #build()} checks
     * {@code minLimit <= initialLimit <= maxLimit}. Not thread-safe.
     */
    public static final class Builder {
        private int initialLimit = 20;
        private int minLimit = 20;
        private int maxLimit = 200;
        private double smoothing = 0.2;
        private int queueSize = 4;
        private int longWindow = 600;
        private double rttTolerance = 1.5;

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

        /** The largest limit, {@code >= 1}; default 200 (Netflix's {@code maxConcurrency}). */
        public Builder maxLimit(int maxLimit) {
            this.maxLimit = Checks.atLeast("maxLimit", maxLimit, 1);
            return this;
        }

        /** The weight of a new estimate, in {@code (0, 1]}; default 0.2. */
        public Builder smoothing(double smoothing) {
            if (!(smoothing > 0.0 && smoothing <= 1.0)) {
                throw new IllegalArgumentException("smoothing must be in (0, 1], was " + smoothing);
            }
            this.smoothing = smoothing;
            return this;
        }

        /** Growth per window while latency is level, {@code >= 0}; default 4. */
        public Builder queueSize(int queueSize) {
            this.queueSize = Checks.atLeast("queueSize", queueSize, 0);
            return this;
        }

        /** Windows of the long-term latency average, {@code >= 1}; default 600. */
        public Builder longWindow(int longWindow) {
            this.longWindow = Checks.atLeast("longWindow", longWindow, 1);
            return this;
        }

        /** Tolerated latency rise over the long-term level, {@code >= 1.0}; default 1.5. */
        public Builder rttTolerance(double rttTolerance) {
            this.rttTolerance = Checks.inRange("rttTolerance", rttTolerance, 1.0, Double.MAX_VALUE, true);
            return this;
        }

        /** The algorithm. @throws IllegalArgumentException unless {@code minLimit <= initialLimit <= maxLimit} */
        public Gradient2Limit build() {
            Checks.limits("Gradient2Limit", initialLimit, minLimit, maxLimit);
            return new Gradient2Limit(this);
        }
    }
}
