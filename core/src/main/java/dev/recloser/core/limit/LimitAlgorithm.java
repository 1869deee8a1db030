package dev.recloser.core.limit;

/**
 * How a {@link ConcurrencyLimiter} moves its limit: {@link AimdLimit} (loss based),
 * {@link VegasLimit} (delay based, against the minimum latency seen) or {@link Gradient2Limit}
 * (delay based, against a long-term average latency).
 *
 * <p>An algorithm object is an immutable, validated configuration, safe to share between any
 * number of limiters: each limiter keeps its own estimate and feeds the algorithm one summary per
 * sample window (average latency, smallest latency, largest in-flight count, whether a call was
 * dropped). The update is a pure function of the previous estimate and that summary, run by the one
 * thread that closes the window; it never blocks and never runs concurrently with itself for one
 * limiter. The defaults of each algorithm are those published by Netflix's concurrency-limits
 * (cited on each builder).
 */
public abstract sealed class LimitAlgorithm permits AimdLimit, VegasLimit, Gradient2Limit {

    LimitAlgorithm() {
    }

    /** The limit a new limiter starts with. */
    public abstract int initialLimit();

    /** The limit never goes below this. */
    public abstract int minLimit();

    /** The limit never goes above this. */
    public abstract int maxLimit();

    /** The estimate of a new limiter; {@code seed} feeds any randomness (Vegas's probe jitter). */
    abstract LimitState start(long seed);

    /** The estimate after one sample window; pure: no side effect, no shared state. */
    abstract LimitState next(LimitState previous, WindowSample sample);

    /**
     * A single call slower than this counts as a drop (AIMD's {@code timeout}); {@link Long#MAX_VALUE}
     * when the algorithm has no such rule.
     */
    long dropAboveNanos() {
        return Long.MAX_VALUE;
    }

    /** Clamps {@code limit} to {@code [minLimit, maxLimit]}. */
    final double clamp(double limit) {
        return Math.max(minLimit(), Math.min(maxLimit(), limit));
    }
}
