package dev.recloser.benchmarks;

/**
 * The sliding window every library is configured with (see {@link Peers}). Public because JMH's
 * generated code, in a sub-package, reads {@code @Param} values of this type.
 */
public enum Window {
    /** The last 100 calls. */
    COUNT,
    /** The last 60 seconds. */
    TIME
}
