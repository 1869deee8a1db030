package dev.recloser.core.limit;

/**
 * SplitMix64 steps, so that an algorithm's randomness (Vegas's probe jitter) lives in its immutable
 * state and a simulation on a manual clock is reproducible.
 */
final class Rng {

    private Rng() {
    }

    static long next(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A value in {@code [0.5, 1)} drawn from {@code random}. */
    static double jitter(long random) {
        return 0.5 + 0.5 * ((random >>> 11) * 0x1.0p-53);
    }
}
