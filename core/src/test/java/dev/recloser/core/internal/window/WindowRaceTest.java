package dev.recloser.core.internal.window;

import dev.recloser.core.SlidingWindow;
import static dev.recloser.core.internal.window.OutcomeWindow.FAILED;
import static dev.recloser.core.internal.window.OutcomeWindow.SLOW;
import static dev.recloser.core.internal.window.OutcomeWindow.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.testing.RaceSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Concurrency proofs: four recorders (and sometimes a reader) start together on one window; after
 * they are joined, the window must hold exactly what the recorders tallied, and readers must never
 * have seen an inconsistent snapshot. Scale with {@code -Drecloser.race.iterations=N}.
 */
class WindowRaceTest {

    private static final int THREADS = 4;
    private static final TripRule RULE = new TripRule(10, 50.0, 50.0);

    /** {@code striped}: the window starts inflated, so every success goes through a cell. */
    @ParameterizedTest(name = "striped={0}")
    @ValueSource(booleans = {false, true})
    void countWindowLosesNoOutcomeWhileNotFull(boolean striped) throws Exception {
        int perThread = Math.min(RaceSupport.iterations() * 25, SlidingWindow.MAX_COUNT_SIZE / THREADS);
        CountWindow window = new CountWindow(perThread * THREADS, RULE, 0L, striped);
        Tally[] tallies = new Tally[THREADS];

        race(THREADS, thread -> {
            Tally tally = tallies[thread] = new Tally();
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < perThread; i++) {
                int outcome = randomOutcome(random);
                int verdict = window.record(outcome, 0L);
                if (verdict < 0 || verdict > 3) {
                    throw new AssertionError("verdict " + verdict);
                }
                tally.add(outcome);
            }
        });

        WindowCounts expected = Tally.sum(tallies);
        assertThat(expected.calls()).isEqualTo((long) perThread * THREADS);
        assertThat(window.counts(0L)).isEqualTo(expected);
        assertThat(window.recount()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "size={0}, striped={1}")
    @CsvSource({"1,false", "2,false", "7,false", "64,false", "1000,false",
                "1,true", "2,true", "7,true", "64,true", "1000,true"})
    void countWindowStaysConsistentWhileWrapping(int size, boolean striped) throws Exception {
        int perThread = RaceSupport.iterations() * 50;
        CountWindow window = new CountWindow(size, RULE, 0L, striped);

        // Thread THREADS reads while the others record: counts() must never throw (a transient
        // aggregate has to be clamped into a valid WindowCounts) and must stay within bounds.
        race(THREADS + 1, thread -> {
            if (thread == THREADS) {
                for (int i = 0; i < perThread; i++) {
                    assertThat(window.counts(0L).calls()).isLessThanOrEqualTo(size);
                }
                return;
            }
            SplittableRandom random = new SplittableRandom(thread * 31L + size);
            for (int i = 0; i < perThread; i++) {
                window.record(randomOutcome(random), 0L);
            }
        });

        WindowCounts counts = window.counts(0L);
        assertThat(counts.calls()).isEqualTo(size);
        assertThat(counts).isEqualTo(window.recount());
    }

    @ParameterizedTest(name = "striped={0}")
    @ValueSource(booleans = {false, true})
    void timeWindowLosesNoOutcomeOnAFixedClock(boolean striped) throws Exception {
        int perThread = RaceSupport.iterations() * 10;
        long now = -42L;
        TimeWindow window = new TimeWindow(60_000_000_000L, 6, RULE, now - 1_000, striped);
        Tally[] tallies = new Tally[THREADS];

        race(THREADS, thread -> {
            Tally tally = tallies[thread] = new Tally();
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < perThread; i++) {
                int outcome = randomOutcome(random);
                window.record(outcome, now);
                tally.add(outcome);
            }
        });

        assertThat(window.counts(now)).isEqualTo(Tally.sum(tallies));
    }

    @ParameterizedTest(name = "striped={0}")
    @ValueSource(booleans = {false, true})
    void timeWindowLosesNoOutcomeWhileRecordersInstallBuckets(boolean striped) throws Exception {
        // Readings spread over the first window: recorders race to install every bucket, nothing
        // expires, so every outcome must be counted.
        int perThread = RaceSupport.iterations() * 10;
        int buckets = 8;
        long bucketNanos = 100;
        long origin = 1_000L;
        TimeWindow window = new TimeWindow(buckets * bucketNanos, buckets, RULE, origin, striped);
        Tally[] tallies = new Tally[THREADS];

        race(THREADS, thread -> {
            Tally tally = tallies[thread] = new Tally();
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < perThread; i++) {
                int outcome = randomOutcome(random);
                window.record(outcome, origin + random.nextLong(buckets * bucketNanos));
                tally.add(outcome);
            }
        });

        assertThat(window.counts(origin + buckets * bucketNanos - 1)).isEqualTo(Tally.sum(tallies));
    }

    @ParameterizedTest(name = "striped={0}")
    @ValueSource(booleans = {false, true})
    void timeWindowCountsExactlyTheInWindowOutcomesWhileBucketsRotate(boolean striped) throws Exception {
        // Readings over three window lengths, in any order per thread: buckets are replaced while
        // others add to them and stale recorders are dropped. Whatever the interleaving, every
        // outcome whose epoch is in the final window must be counted (see TimeWindow's notes).
        int perThread = RaceSupport.iterations() * 10;
        int buckets = 4;
        long bucketNanos = 10;
        int epochs = 3 * buckets;
        long origin = Long.MAX_VALUE - 50; // the readings wrap as well
        TimeWindow window = new TimeWindow(buckets * bucketNanos, buckets, RULE, origin, striped);
        Tally[][] tallies = new Tally[THREADS][epochs];

        race(THREADS + 1, thread -> {
            SplittableRandom random = new SplittableRandom(thread + 7L);
            if (thread == THREADS) { // a reader at any time: must never build inconsistent counts
                for (int i = 0; i < perThread; i++) {
                    window.counts(origin + random.nextLong(epochs * bucketNanos));
                }
                return;
            }
            for (int e = 0; e < epochs; e++) {
                tallies[thread][e] = new Tally();
            }
            for (int i = 0; i < perThread; i++) {
                // Mostly advancing with the loop, sometimes a late reading from an earlier epoch.
                long elapsed = (long) i * epochs * bucketNanos / perThread;
                if (random.nextInt(8) == 0) {
                    elapsed = random.nextLong(elapsed + 1);
                }
                int outcome = randomOutcome(random);
                window.record(outcome, origin + elapsed);
                tallies[thread][(int) (elapsed / bucketNanos)].add(outcome);
            }
        });

        List<Tally> inWindow = new ArrayList<>();
        for (Tally[] perEpoch : tallies) {
            for (int e = epochs - buckets; e < epochs; e++) {
                inWindow.add(perEpoch[e]);
            }
        }
        long finalNow = origin + epochs * bucketNanos - 1;
        assertThat(window.counts(finalNow)).isEqualTo(Tally.sum(inWindow.toArray(new Tally[0])));
    }

    @ParameterizedTest(name = "striped={0}")
    @ValueSource(booleans = {false, true})
    void timeWindowLosesNoOutcomeWhenRecordersRaceToRotateEveryBucket(boolean striped) throws Exception {
        // Round r: every recorder reads a time in epoch r, so all of them race to replace the
        // bucket of epoch r - buckets in the same slot. The last recorder to finish a round checks
        // the window exactly, then releases the next round; the others spin (yielding) meanwhile,
        // so that a round starts on all threads at nearly the same instant.
        int rounds = RaceSupport.iterations();
        int perRound = 3;
        int buckets = 3;
        long bucketNanos = 7;
        long origin = -1_000L;
        TimeWindow window = new TimeWindow(buckets * bucketNanos, buckets, RULE, origin, striped);
        Tally[][] tallies = new Tally[rounds][THREADS];
        AtomicInteger finished = new AtomicInteger(); // recorders done with their round, cumulative
        AtomicInteger released = new AtomicInteger(); // rounds that may start
        AtomicBoolean broken = new AtomicBoolean();
        ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();

        race(THREADS, thread -> {
            SplittableRandom random = new SplittableRandom(thread + 11L);
            try {
                for (int round = 0; round < rounds; round++) {
                    while (released.get() < round) { // ends: the last recorder of round - 1 releases
                        if (broken.get()) {
                            return;
                        }
                        Thread.yield();
                    }
                    Tally tally = tallies[round][thread] = new Tally();
                    long roundStart = origin + round * bucketNanos;
                    for (int i = 0; i < perRound; i++) {
                        int outcome = randomOutcome(random);
                        window.record(outcome, roundStart + random.nextLong(bucketNanos));
                        tally.add(outcome);
                    }
                    // Volatile increment: the last one to arrive sees every record of the round.
                    if (finished.incrementAndGet() == THREADS * (round + 1)) {
                        WindowCounts expected = sumOfRounds(tallies, round - buckets + 1, round);
                        WindowCounts actual = window.counts(roundStart + bucketNanos - 1);
                        if (!actual.equals(expected)) {
                            mismatches.add("round " + round + ": " + actual + " != " + expected);
                        }
                        released.set(round + 1);
                    }
                }
            } catch (RuntimeException | Error e) {
                broken.set(true);
                throw e;
            }
        });

        assertThat(mismatches).isEmpty();
    }

    @ParameterizedTest(name = "striped={0}")
    @ValueSource(booleans = {false, true})
    void timeWindowReaderNeverSeesAFailureBeforeItsCall(boolean striped) throws Exception {
        // Only failed and slow outcomes: any reader that counted a failure whose call it had not
        // seen would build an inconsistent WindowCounts (failed > calls), which throws.
        int perThread = RaceSupport.iterations() * 10;
        TimeWindow window = new TimeWindow(1_000L, 10, RULE, 0L, striped);
        AtomicInteger writing = new AtomicInteger(THREADS);

        race(THREADS + 1, thread -> {
            if (thread == THREADS) {
                while (writing.get() > 0) { // ends: the writers' loops are bounded
                    WindowCounts counts = window.counts(999L);
                    assertThat(counts.failedCalls()).isLessThanOrEqualTo(counts.calls());
                }
                return;
            }
            try {
                for (int i = 0; i < perThread; i++) {
                    window.record(FAILED | SLOW, i % 1_000L); // ten buckets, each installed by a race
                }
            } finally {
                writing.decrementAndGet();
            }
        });

        long total = (long) perThread * THREADS;
        assertThat(window.counts(999L)).isEqualTo(new WindowCounts(total, total, total));
    }

    private static WindowCounts sumOfRounds(Tally[][] tallies, int from, int to) {
        List<Tally> tallied = new ArrayList<>();
        for (int r = Math.max(0, from); r <= to; r++) {
            tallied.addAll(List.of(tallies[r]));
        }
        return Tally.sum(tallied.toArray(new Tally[0]));
    }

    // ---- support --------------------------------------------------------------------------------

    private static int randomOutcome(SplittableRandom random) {
        int r = random.nextInt(10);
        return r < 5 ? SUCCESS : r < 7 ? FAILED : r < 9 ? SLOW : FAILED | SLOW;
    }

    /**
     * Runs {@code body(i)} on {@code threads} threads and joins them; rethrows the failures. The
     * threads pass a barrier, then spin until all of them are running, so that their loops overlap
     * instead of starting one wake-up latency apart.
     */
    private static void race(int threads, IntConsumer body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicInteger running = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    running.incrementAndGet();
                    while (running.get() < threads) { // ends: every thread has passed the barrier
                        Thread.onSpinWait();
                    }
                    body.accept(index);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "window-race-" + t);
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("a racing thread failed");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    /** One thread's outcomes; read only after join. */
    private static final class Tally {
        long calls;
        long failed;
        long slow;

        void add(int outcome) {
            calls++;
            failed += outcome & FAILED;
            slow += (outcome & SLOW) >> 1;
        }

        static WindowCounts sum(Tally... tallies) {
            long calls = 0;
            long failed = 0;
            long slow = 0;
            for (Tally t : tallies) {
                calls += t.calls;
                failed += t.failed;
                slow += t.slow;
            }
            return new WindowCounts(calls, failed, slow);
        }
    }
}
