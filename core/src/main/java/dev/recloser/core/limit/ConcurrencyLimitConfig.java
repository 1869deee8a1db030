package dev.recloser.core.limit;

import dev.recloser.core.NanoClock;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a {@link ConcurrencyLimiter}: its algorithm, how calls are grouped into sample
 * windows, and its clock. Immutable and thread-safe; one config may serve any number of limiters
 * (each keeps its own estimate).
 *
 * <p>Windows (Netflix concurrency-limits' {@code WindowedLimit}, whose defaults these are): a window
 * lasts {@code clamp(2 * its predecessor's smallest latency, minWindow, maxWindow)}, 1 s by default;
 * it closes at the first release after its end, and the algorithm is fed once with its summary if
 * it holds at least {@link #minSamples()} calls. Calls faster than {@link #minRttThreshold()} are
 * not sampled (their latency says nothing about queueing and would drag the average down); their
 * permits are still counted.
 */
public final class ConcurrencyLimitConfig {

    private static final ConcurrencyLimitConfig DEFAULTS = builder().build();

    private final LimitAlgorithm algorithm;
    private final long minWindowNanos;
    private final long maxWindowNanos;
    private final int minSamples;
    private final long minRttThresholdNanos;
    private final NanoClock clock;

    private ConcurrencyLimitConfig(Builder b) {
        this.algorithm = b.algorithm;
        this.minWindowNanos = b.minWindowNanos;
        this.maxWindowNanos = b.maxWindowNanos;
        this.minSamples = b.minSamples;
        this.minRttThresholdNanos = b.minRttThresholdNanos;
        this.clock = b.clock;
    }

    /** Vegas with its defaults, 1 s windows of at least 10 calls, 100 µs threshold, the system clock. */
    public static ConcurrencyLimitConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.algorithm = algorithm;
        b.minWindowNanos = minWindowNanos;
        b.maxWindowNanos = maxWindowNanos;
        b.minSamples = minSamples;
        b.minRttThresholdNanos = minRttThresholdNanos;
        b.clock = clock;
        return b;
    }

    /** The algorithm that moves the limit. */
    public LimitAlgorithm algorithm() {
        return algorithm;
    }

    /** The shortest sample window. */
    public Duration minWindow() {
        return Duration.ofNanos(minWindowNanos);
    }

    /** The longest sample window. */
    public Duration maxWindow() {
        return Duration.ofNanos(maxWindowNanos);
    }

    long minWindowNanos() {
        return minWindowNanos;
    }

    long maxWindowNanos() {
        return maxWindowNanos;
    }

    /** The calls a window must hold for the algorithm to be fed with it. */
    public int minSamples() {
        return minSamples;
    }

    /** Calls faster than this are not sampled. */
    public Duration minRttThreshold() {
        return Duration.ofNanos(minRttThresholdNanos);
    }

    long minRttThresholdNanos() {
        return minRttThresholdNanos;
    }

    /** The clock latencies and windows are measured on. */
    public NanoClock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "ConcurrencyLimitConfig{algorithm=" + algorithm + ", minWindow=" + minWindow() + ", maxWindow="
                + maxWindow() + ", minSamples=" + minSamples + ", minRttThreshold=" + minRttThreshold()
                + ", clock=" + clock + '}';
    }

    /**
     * Builds a {@link ConcurrencyLimitConfig}. Each setter validates its value at once: an invalid one
     * throws {@link IllegalArgumentException} naming the option and the value, a null one
     * {@link NullPointerException} naming the option; {@link #build()} checks
     * {@code minWindow <= maxWindow}. Not thread-safe.
     */
    public static final class Builder {
        private LimitAlgorithm algorithm = VegasLimit.defaults();
        private long minWindowNanos = Duration.ofSeconds(1).toNanos();
        private long maxWindowNanos = Duration.ofSeconds(1).toNanos();
        private int minSamples = 10;
        private long minRttThresholdNanos = Duration.ofNanos(100_000).toNanos();
        private NanoClock clock = NanoClock.system();

        private Builder() {
        }

        /** The algorithm; default {@link VegasLimit#defaults()} (Netflix's default limit too). */
        public Builder algorithm(LimitAlgorithm algorithm) {
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /** The shortest window, positive; default 1 s. */
        public Builder minWindow(Duration minWindow) {
            this.minWindowNanos = Checks.positiveNanos("minWindow", minWindow);
            return this;
        }

        /** The longest window, positive; default 1 s. */
        public Builder maxWindow(Duration maxWindow) {
            this.maxWindowNanos = Checks.positiveNanos("maxWindow", maxWindow);
            return this;
        }

        /** Sets both window bounds: every window lasts {@code window}. */
        public Builder window(Duration window) {
            long nanos = Checks.positiveNanos("window", window);
            this.minWindowNanos = nanos;
            this.maxWindowNanos = nanos;
            return this;
        }

        /** Samples a window needs to update the limit, {@code >= 1}; default 10 (Netflix's {@code windowSize}). */
        public Builder minSamples(int minSamples) {
            this.minSamples = Checks.atLeast("minSamples", minSamples, 1);
            return this;
        }

        /** Calls faster than this are not sampled, {@code >= 0}; default 100 µs. */
        public Builder minRttThreshold(Duration threshold) {
            this.minRttThresholdNanos = Checks.nonNegativeNanos("minRttThreshold", threshold);
            return this;
        }

        /** The clock; default {@link NanoClock#system()}; tests pass a manual one. */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The config. @throws IllegalArgumentException if {@code minWindow > maxWindow} */
        public ConcurrencyLimitConfig build() {
            if (minWindowNanos > maxWindowNanos) {
                throw new IllegalArgumentException("minWindow (" + Duration.ofNanos(minWindowNanos)
                        + ") must be <= maxWindow (" + Duration.ofNanos(maxWindowNanos) + ")");
            }
            return new ConcurrencyLimitConfig(this);
        }
    }
}
