package dev.recloser.core.limit;

/**
 * One limiter's estimate, as an algorithm left it after a window. Immutable: a new state is made per
 * window by the thread that closes it, and published with the window that follows (see
 * {@code DefaultConcurrencyLimiter}), so successive updates form a chain with no shared mutable data.
 */
interface LimitState {

    /** The limit to enforce, already clamped to the algorithm's bounds. */
    int limit();
}
