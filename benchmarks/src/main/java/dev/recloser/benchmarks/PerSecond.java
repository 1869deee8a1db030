package dev.recloser.benchmarks;

import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The outage scenario's per-second tally: each finished call is recorded once, with its outcome
 * and latency, in the bucket of the second it finished in (counted from the run's start), so a
 * second's row reads one bucket and its columns add up. Calls finishing after the last bucket count
 * in the last one. Thread-safe; recording is two atomic increments and a histogram record.
 */
final class PerSecond {

    static final int OK = 0;
    static final int FAIL = 1;
    static final int FAST_FAIL = 2;

    /** How long the table waits after a second ends before reading it: calls that ended in it finish recording. */
    static final long SETTLE_MILLIS = 50;

    /** One second's counts and the latencies of the calls that finished in it. */
    record Row(long ok, long fail, long fastFail, Histogram latency) {
        long done() {
            return ok + fail + fastFail;
        }
    }

    private final long startNanos;
    private final int seconds;
    /** Three counters per second: [3 * second + outcome]. */
    private final AtomicLongArray counts;
    private final ConcurrentHistogram[] latencies;

    PerSecond(long startNanos, int seconds) {
        this.startNanos = startNanos;
        this.seconds = seconds;
        this.counts = new AtomicLongArray(3 * seconds);
        this.latencies = new ConcurrentHistogram[seconds];
        for (int i = 0; i < seconds; i++) {
            latencies[i] = new ConcurrentHistogram(3_600_000_000_000L, 3);
        }
    }

    int seconds() {
        return seconds;
    }

    /** A call that started at {@code startedNanos} finished at {@code finishedNanos} with {@code outcome}. */
    void record(int outcome, long startedNanos, long finishedNanos) {
        int second = (int) Math.min(seconds - 1, Math.max(0L, (finishedNanos - startNanos) / 1_000_000_000L));
        latencies[second].recordValue(Math.max(0L, finishedNanos - startedNanos));
        counts.incrementAndGet(3 * second + outcome);
    }

    /** The tally of second {@code index} (0 is the run's first second). */
    Row row(int index) {
        return new Row(counts.get(3 * index + OK), counts.get(3 * index + FAIL), counts.get(3 * index + FAST_FAIL),
                latencies[index].copy());
    }
}
