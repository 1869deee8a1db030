package dev.recloser.core.limit;

/**
 * What one sample window saw, handed to {@link LimitAlgorithm#next}.
 *
 * @param samples       calls recorded in the window
 * @param avgRttNanos   their average latency (Netflix's default "tracked" RTT)
 * @param minRttNanos   their smallest latency
 * @param maxInFlight   the largest in-flight count seen at a release in the window (the call itself included)
 * @param dropped       whether any call in the window was reported as dropped (or was slower than AIMD's timeout)
 */
record WindowSample(int samples, long avgRttNanos, long minRttNanos, int maxInFlight, boolean dropped) {
}
