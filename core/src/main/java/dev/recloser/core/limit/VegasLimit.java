package dev.recloser.core.limit;

/**
 * A delay-based algorithm after TCP Vegas. It keeps the smallest latency seen as the no-load
 * latency and estimates the queue a window built up as
 * {@code queue = ceil(limit * (1 - noLoadRtt / rtt))}, with {@code rtt} the window's average. With
 * {@code log = max(1, floor(log10(limit)))}: a queue up to {@code log} grows the limit by
 * {@code betaFactor * log}; below {@code alphaFactor * log} by {@code log}; above
 * {@code betaFactor * log} it shrinks by {@code log}; in between it stays. A drop shrinks it by
 * {@code log}. The limit does not grow while fewer than half of it are in flight. Every
 * {@code probeMultiplier * limit} windows (times a jitter in [0.5, 1)) the no-load latency is
 * re-sampled from the current window, so that a dependency whose base latency rose is relearned.
 * The new limit is blended with the old one by {@link #smoothing()}.
 *
 * <p>Immutable and thread-safe. Defaults are those of Netflix concurrency-limits'
 * {@code VegasLimit.Builder} (initial 20, max 1000 as {@code maxConcurrency}, alpha
 * {@code 3 * log10}, beta {@code 6 * log10}, smoothing 1.0, probe multiplier 30); the min of 1 is
 * the floor Netflix's update applies. Netflix counts probes in samples; here they count windows,
 * since the algorithm sees one summary per window.
 */
public final class VegasLimit extends LimitAlgorithm {

    private static final VegasLimit DEFAULTS = builder().build();

    private final int initialLimit;
    private final int minLimit;
    private final int maxLimit;
    private final int alphaFactor;
    private final int betaFactor;
    private final double smoothing;
    private final int probeMultiplier;

    private VegasLimit(Builder b) {
        this.initialLimit = b.initialLimit;
        this.minLimit = b.minLimit;
        this.maxLimit = b.maxLimit;
        this.alphaFactor = b.alphaFactor;
        this.betaFactor = b.betaFactor;
        this.smoothing = b.smoothing;
        this.probeMultiplier = b.probeMultiplier;
    }

    /** Vegas with the defaults listed on the builder; the default algorithm of a limiter. */
    public static VegasLimit defaults() {
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
        b.alphaFactor = alphaFactor;
        b.betaFactor = betaFactor;
        b.smoothing = smoothing;
        b.probeMultiplier = probeMultiplier;
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

    /** The queue below which the limit grows, as a multiple of {@code log10(limit)}. */
    public int alphaFactor() {
        return alphaFactor;
    }

    /** The queue above which the limit shrinks, as a multiple of {@code log10(limit)}. */
    public int betaFactor() {
        return betaFactor;
    }

    /** The weight of the new estimate against the old one, in {@code (0, 1]}. */
    public double smoothing() {
        return smoothing;
    }

    /** The no-load latency is re-sampled every {@code probeMultiplier * limit} windows (jittered). */
    public int probeMultiplier() {
        return probeMultiplier;
    }

    /** {@code max(1, floor(log10(limit)))}: Netflix's {@code Log10RootIntFunction}. */
    static int log10Root(int limit) {
        return Math.max(1, (int) Math.log10(Math.max(1, limit)));
    }

    @Override
    LimitState start(long seed) {
        long s = Rng.next(seed);
        return new State(initialLimit, 0L, 0, Rng.jitter(s), s);
    }

    @Override
    LimitState next(LimitState previous, WindowSample sample) {
        State p = (State) previous;
        long rtt = Math.max(1L, sample.avgRttNanos());
        int probes = p.probeCount + 1;
        if (p.probeJitter * probeMultiplier * p.estimate <= probes) {
            // Re-learn the no-load latency from this window (it may have risen for good).
            long seed = Rng.next(p.seed);
            return new State(p.estimate, rtt, 0, Rng.jitter(seed), seed);
        }
        if (p.rttNoLoadNanos == 0L || rtt < p.rttNoLoadNanos) {
            return new State(p.estimate, rtt, probes, p.probeJitter, p.seed);
        }
        double estimate = p.estimate;
        int current = (int) estimate;
        int log = log10Root(current);
        double target;
        if (sample.dropped()) {
            target = estimate - log;
        } else if (sample.maxInFlight() * 2 < estimate) {
            return new State(estimate, p.rttNoLoadNanos, probes, p.probeJitter, p.seed); // app-limited: no drift
        } else {
            int queue = (int) Math.ceil(estimate * (1 - (double) p.rttNoLoadNanos / rtt));
            if (queue <= log) {
                target = estimate + betaFactor * log;     // no queue: grow fast
            } else if (queue < alphaFactor * log) {
                target = estimate + log;                  // a small queue: grow
            } else if (queue > betaFactor * log) {
                target = estimate - log;                  // queueing: shrink
            } else {
                return new State(estimate, p.rttNoLoadNanos, probes, p.probeJitter, p.seed);
            }
        }
        target = clamp(target);
        double blended = (1 - smoothing) * estimate + smoothing * target;
        return new State(blended, p.rttNoLoadNanos, probes, p.probeJitter, p.seed);
    }

    @Override
    public String toString() {
        return "VegasLimit{initialLimit=" + initialLimit + ", minLimit=" + minLimit + ", maxLimit=" + maxLimit
                + ", alphaFactor=" + alphaFactor + ", betaFactor=" + betaFactor + ", smoothing=" + smoothing
                + ", probeMultiplier=" + probeMultiplier + '}';
    }

    /**
     * The estimate: the limit as a double (smoothing moves it by fractions), the no-load latency
     * (0 until the first window), windows since the last probe, this probe period's jitter and the
     * random state that draws the next one.
     */
    record State(double estimate, long rttNoLoadNanos, int probeCount, double probeJitter, long seed)
            implements LimitState {
        @Override
        public int limit() {
            return (int) estimate;
        }
    }

    /**
     * Builds a {@link VegasLimit}; each setter validates its value at once (an
     * {@link IllegalArgumentException} naming the option and the value), {@link #build()} checks
     * {@code minLimit <= initialLimit <= maxLimit} and {@code alphaFactor < betaFactor}. Not
     * thread-safe.
     */
    public static final class Builder {
        private int initialLimit = 20;
        private int minLimit = 1;
        private int maxLimit = 1000;
        private int alphaFactor = 3;
        private int betaFactor = 6;
        private double smoothing = 1.0;
        private int probeMultiplier = 30;

        private Builder() {
        }

        /** The starting limit, {@code >= 1}; default 20. */
        public Builder initialLimit(int initialLimit) {
            this.initialLimit = Checks.atLeast("initialLimit", initialLimit, 1);
            return this;
        }

        /** The smallest limit, {@code >= 1}; default 1. */
        public Builder minLimit(int minLimit) {
            this.minLimit = Checks.atLeast("minLimit", minLimit, 1);
            return this;
        }

        /** The largest limit, {@code >= 1}; default 1000 (Netflix's {@code maxConcurrency}). */
        public Builder maxLimit(int maxLimit) {
            this.maxLimit = Checks.atLeast("maxLimit", maxLimit, 1);
            return this;
        }

        /** Alpha as a multiple of {@code log10(limit)}, {@code >= 1}; default 3. */
        public Builder alphaFactor(int alphaFactor) {
            this.alphaFactor = Checks.atLeast("alphaFactor", alphaFactor, 1);
            return this;
        }

        /** Beta as a multiple of {@code log10(limit)}, {@code >= 1}; default 6. */
        public Builder betaFactor(int betaFactor) {
            this.betaFactor = Checks.atLeast("betaFactor", betaFactor, 1);
            return this;
        }

        /** The weight of a new estimate, in {@code (0, 1]}; default 1.0 (no smoothing). */
        public Builder smoothing(double smoothing) {
            if (!(smoothing > 0.0 && smoothing <= 1.0)) {
                throw new IllegalArgumentException("smoothing must be in (0, 1], was " + smoothing);
            }
            this.smoothing = smoothing;
            return this;
        }

        /** Probe period as a multiple of the limit, in windows, {@code >= 1}; default 30. */
        public Builder probeMultiplier(int probeMultiplier) {
            this.probeMultiplier = Checks.atLeast("probeMultiplier", probeMultiplier, 1);
            return this;
        }

        /** The algorithm. @throws IllegalArgumentException if the limits or alpha and beta are inconsistent */
        public VegasLimit build() {
            Checks.limits("VegasLimit", initialLimit, minLimit, maxLimit);
            if (alphaFactor >= betaFactor) {
                throw new IllegalArgumentException("VegasLimit: alphaFactor (" + alphaFactor
                        + ") must be < betaFactor (" + betaFactor + ")");
            }
            return new VegasLimit(this);
        }
    }
}
