package dev.recloser.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.testing.ManualClock;
import dev.recloser.testing.RaceSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private static final int THREADS = 4;

    private final ManualClock clock = new ManualClock();
    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private RetryBudget budget(double ratio, int minRetriesPerSecond) {
        return RetryBudget.builder().ratio(ratio).minRetriesPerSecond(minRetriesPerSecond)
                .window(Duration.ofSeconds(10)).clock(clock).build();
    }

    private static int drain(RetryBudget budget) {
        int granted = 0;
        while (budget.tryAcquireRetry()) {
            granted++;
        }
        return granted;
    }

    private static void record(RetryBudget budget, int calls) {
        for (int i = 0; i < calls; i++) {
            budget.recordCall();
        }
    }

    @Test
    void defaults() {
        RetryBudget budget = RetryBudget.of(0.25, 3);
        assertThat(budget.ratio()).isEqualTo(0.25);
        assertThat(budget.minRetriesPerSecond()).isEqualTo(3);
        assertThat(budget.window()).isEqualTo(Duration.ofSeconds(10));
        RetryBudget fromBuilder = RetryBudget.builder().build();
        assertThat(fromBuilder.ratio()).isEqualTo(0.2);
        assertThat(fromBuilder.minRetriesPerSecond()).isEqualTo(10);
        assertThat(fromBuilder.toString()).contains("ratio=0.2", "calls=0", "retries=0");
    }

    @Test
    void theFloorAllowsRetriesWithoutAnyCall() {
        RetryBudget budget = budget(0.2, 1);
        // 1 retry per second over a 10 s window.
        assertThat(drain(budget)).isEqualTo(10);
        assertThat(budget.retriesInWindow()).isEqualTo(10);
        assertThat(budget.callsInWindow()).isZero();
    }

    @Test
    void noRatioAndNoFloorAllowsNothing() {
        RetryBudget budget = budget(0.0, 0);
        record(budget, 1_000);
        assertThat(budget.tryAcquireRetry()).isFalse();
        assertThat(budget.retriesInWindow()).isZero();
    }

    @Test
    void retriesTrackTheRatioOfCalls() {
        RetryBudget budget = budget(0.5, 0);
        assertThat(budget.tryAcquireRetry()).isFalse();
        record(budget, 10);
        assertThat(budget.callsInWindow()).isEqualTo(10);
        assertThat(drain(budget)).isEqualTo(5);
        record(budget, 2);
        assertThat(drain(budget)).isEqualTo(1);
        record(budget, 1);
        // 13 calls * 0.5 = 6.5: a 7th retry is allowed while 6 < 6.5.
        assertThat(drain(budget)).isEqualTo(1);
        assertThat(budget.retriesInWindow()).isEqualTo(7);
    }

    @Test
    void decimalRatiosAreExact() {
        // In doubles 0.1 * 30 = 3.0000000000000004, which would grant a fourth retry.
        RetryBudget budget = budget(0.1, 0);
        record(budget, 30);
        assertThat(drain(budget)).isEqualTo(3);
        RetryBudget fractionalFloor = RetryBudget.builder().ratio(0.0).minRetriesPerSecond(3)
                .window(Duration.ofMillis(1500)).clock(clock).build();
        // 3 per second over 1.5 s = 4.5: retries are granted while fewer than 4.5 were made.
        assertThat(drain(fractionalFloor)).isEqualTo(5);
    }

    @Test
    void ratioAndFloorAdd() {
        RetryBudget budget = budget(0.2, 1);
        record(budget, 100);
        assertThat(drain(budget)).isEqualTo(20 + 10);
    }

    @Test
    void aRefusedRetryIsNotCounted() {
        RetryBudget budget = budget(0.5, 0);
        record(budget, 2);
        assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.tryAcquireRetry()).isFalse();
        assertThat(budget.tryAcquireRetry()).isFalse();
        assertThat(budget.retriesInWindow()).isEqualTo(1);
    }

    @Test
    void forgetsCallsAndRetriesAfterTheWindow() {
        RetryBudget budget = budget(0.5, 0);
        record(budget, 10);
        assertThat(drain(budget)).isEqualTo(5);

        clock.advance(Duration.ofSeconds(9));
        // Within 15/16 of the window everything is remembered.
        assertThat(budget.callsInWindow()).isEqualTo(10);
        assertThat(budget.retriesInWindow()).isEqualTo(5);
        assertThat(budget.tryAcquireRetry()).isFalse();

        clock.advance(Duration.ofSeconds(1));
        assertThat(budget.callsInWindow()).isZero();
        assertThat(budget.retriesInWindow()).isZero();
        assertThat(budget.tryAcquireRetry()).isFalse();
        record(budget, 2);
        assertThat(drain(budget)).isEqualTo(1);
    }

    @Test
    void theWindowSlides() {
        RetryBudget budget = budget(1.0, 0);
        record(budget, 4);                       // t = 0
        clock.advance(Duration.ofSeconds(5));
        record(budget, 6);                       // t = 5 s
        assertThat(budget.callsInWindow()).isEqualTo(10);
        assertThat(budget.tryAcquireRetry()).isTrue(); // counted at t = 5 s
        clock.advance(Duration.ofSeconds(6));    // t = 11 s: the first four calls are gone
        assertThat(budget.callsInWindow()).isEqualTo(6);
        assertThat(budget.retriesInWindow()).isEqualTo(1);
        assertThat(drain(budget)).isEqualTo(5);
        clock.advance(Duration.ofSeconds(5));    // t = 16 s: what was recorded at 5 s is gone,
        // the retries granted at 11 s remain.
        assertThat(budget.callsInWindow()).isZero();
        assertThat(budget.retriesInWindow()).isEqualTo(5);
    }

    @Test
    void aLongIdlePeriodLeavesNoStaleBuckets() {
        RetryBudget budget = budget(1.0, 0);
        record(budget, 3);
        clock.advance(Duration.ofDays(400));
        assertThat(budget.callsInWindow()).isZero();
        record(budget, 2);
        assertThat(drain(budget)).isEqualTo(2);
    }

    @Test
    void recordCallAndRefusedRetriesDoNotAllocateWithinABucket() {
        RetryBudget budget = budget(0.0, 0);
        budget.recordCall(); // creates the current bucket
        long allocated = Allocations.measure(() -> {
            long granted = 0;
            for (int i = 0; i < 100_000; i++) {
                budget.recordCall();
                if (budget.tryAcquireRetry()) {
                    granted++;
                }
            }
            return granted;
        });
        assertThat(allocated).as("bytes allocated by 100,000 calls and refused retries").isLessThan(16 * 1024);
    }

    /** Runs {@code body} on 4 threads released together, and waits for them. */
    private void race(Runnable body) throws Exception {
        CountDownLatch ready = new CountDownLatch(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                body.run();
                return null;
            }));
        }
        ready.await();
        go.countDown();
        for (Future<?> f : futures) {
            // A generous bound only so that a deadlock fails the build instead of hanging it.
            f.get(5, TimeUnit.MINUTES);
        }
    }

    @Test
    void racingRetriesNeverExceedTheBudgetAndLoseNoCount() throws Exception {
        int rounds = Math.max(1, RaceSupport.iterations() / 10);
        for (int round = 0; round < rounds; round++) {
            RetryBudget budget = budget(0.25, 0);
            record(budget, 40); // budget: 10 retries
            AtomicLong granted = new AtomicLong();
            race(() -> {
                for (int i = 0; i < 10; i++) {
                    if (budget.tryAcquireRetry()) {
                        granted.incrementAndGet();
                    }
                }
            });
            assertThat(granted.get()).as("round %d", round).isBetween(1L, 10L);
            // Refused retries undid their counts exactly: sequentially, the rest of the budget is there.
            assertThat(budget.retriesInWindow()).isEqualTo(granted.get());
            assertThat(granted.get() + drain(budget)).as("round %d", round).isEqualTo(10);
        }
    }

    @Test
    void racingCallsAndRetriesNeverExceedTheBudget() throws Exception {
        int rounds = Math.max(1, RaceSupport.iterations() / 20);
        for (int round = 0; round < rounds; round++) {
            RetryBudget budget = budget(0.1, 1); // floor: 10 retries per window
            AtomicLong granted = new AtomicLong();
            race(() -> {
                for (int i = 0; i < 200; i++) {
                    budget.recordCall();
                    if (budget.tryAcquireRetry()) {
                        granted.incrementAndGet();
                    }
                }
            });
            assertThat(budget.callsInWindow()).isEqualTo(THREADS * 200);
            assertThat(budget.retriesInWindow()).isEqualTo(granted.get());
            // 800 calls * 0.1 + 10 = 90.
            assertThat(granted.get()).as("round %d", round).isBetween(1L, 90L);
            assertThat(granted.get() + drain(budget)).as("round %d", round).isEqualTo(90);
        }
    }

    @Test
    void racingAcrossBucketRotationsLosesNoCallInTheCurrentBucket() throws Exception {
        int rounds = Math.max(1, RaceSupport.iterations() / 20);
        RetryBudget budget = budget(1.0, 0);
        for (int round = 0; round < rounds; round++) {
            // Each round starts in a fresh bucket period, so the racing threads rotate a slot together.
            clock.advance(Duration.ofSeconds(11));
            race(() -> {
                for (int i = 0; i < 100; i++) {
                    budget.recordCall();
                }
            });
            assertThat(budget.callsInWindow()).as("round %d", round).isEqualTo(THREADS * 100);
        }
    }
}
