package dev.recloser.core.internal.window;

import dev.recloser.core.SlidingWindow;
import static dev.recloser.core.internal.window.OutcomeWindow.FAILED;
import static dev.recloser.core.internal.window.OutcomeWindow.KEEP;
import static dev.recloser.core.internal.window.OutcomeWindow.SLOW;
import static dev.recloser.core.internal.window.OutcomeWindow.SUCCESS;
import static dev.recloser.core.internal.window.OutcomeWindow.TRIP_FAILURE_RATE;
import static dev.recloser.core.internal.window.OutcomeWindow.TRIP_SLOW_CALL_RATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.recloser.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeWindowTest {

    private static final TripRule HALF = new TripRule(2, 50.0, 50.0);
    private static final long SECOND = 1_000_000_000L;

    @Test
    void slidingWindowCreatesATimeWindowWithItsOrigin() {
        ManualClock clock = new ManualClock(-7 * SECOND);
        OutcomeWindow window = Windows.newWindow(SlidingWindow.timeBased(Duration.ofSeconds(60), 6), HALF, clock.nanoTime());

        assertThat(window).isInstanceOf(TimeWindow.class);
        assertThat(((TimeWindow) window).epoch(clock.nanoTime())).isZero();
        assertThat(((TimeWindow) window).epoch(clock.nanoTime() + 10 * SECOND)).isEqualTo(1);
        assertThat(((TimeWindow) window).epoch(clock.nanoTime() - 1)).isEqualTo(-1);
        assertThat(window.counts(clock.nanoTime())).isEqualTo(WindowCounts.EMPTY);
    }

    @Test
    void oldestBucketExpiresAsAWhole() {
        ManualClock clock = new ManualClock(0L);
        TimeWindow window = new TimeWindow(60 * SECOND, 6, HALF, clock.nanoTime());

        window.record(FAILED, clock.nanoTime());                             // epoch 0
        window.record(SUCCESS, clock.advanceNanos(10 * SECOND - 1).nanoTime()); // still epoch 0
        window.record(SLOW, clock.advanceNanos(1).nanoTime());               // epoch 1
        assertThat(window.counts(clock.nanoTime())).isEqualTo(new WindowCounts(3, 1, 1));

        clock.advanceNanos(50 * SECOND - 1); // 59.999... s: epoch 5, window (-1, 5]
        assertThat(window.counts(clock.nanoTime())).isEqualTo(new WindowCounts(3, 1, 1));
        clock.advanceNanos(1); // 60 s: epoch 6, window (0, 6]: epoch 0 is gone
        assertThat(window.counts(clock.nanoTime())).isEqualTo(new WindowCounts(1, 0, 1));
        clock.advanceNanos(10 * SECOND); // epoch 7: epoch 1 is gone
        assertThat(window.counts(clock.nanoTime())).isEqualTo(WindowCounts.EMPTY);
    }

    @Test
    void verdictIsEvaluatedOnFailedOrSlowOutcomesOnly() {
        ManualClock clock = new ManualClock();
        TimeWindow window = new TimeWindow(10 * SECOND, 10, HALF, clock.nanoTime());

        assertThat(window.record(FAILED, clock.nanoTime())).isEqualTo(KEEP); // 1 call < minimum 2
        assertThat(window.record(SUCCESS, clock.nanoTime())).isEqualTo(KEEP); // would trip: never on a success
        assertThat(window.record(SLOW, clock.advance(Duration.ofSeconds(3)).nanoTime()))
                .isEqualTo(KEEP); // 1 failed and 1 slow of 3 calls
        assertThat(window.record(FAILED | SLOW, clock.nanoTime()))
                .isEqualTo(TRIP_FAILURE_RATE | TRIP_SLOW_CALL_RATE);
    }

    @Test
    void singleBucketHoldsOnlyTheCurrentBucket() {
        ManualClock clock = new ManualClock(5L);
        TimeWindow window = new TimeWindow(100L, 1, new TripRule(1, 100.0, 100.0), clock.nanoTime());

        assertThat(window.record(FAILED, clock.nanoTime())).isEqualTo(TRIP_FAILURE_RATE);
        assertThat(window.record(SUCCESS, clock.advanceNanos(99).nanoTime())).isEqualTo(KEEP);
        assertThat(window.counts(clock.nanoTime())).isEqualTo(new WindowCounts(2, 1, 0));

        clock.advanceNanos(1);
        assertThat(window.counts(clock.nanoTime())).isEqualTo(WindowCounts.EMPTY);
        assertThat(window.record(SLOW, clock.nanoTime())).isEqualTo(TRIP_SLOW_CALL_RATE);
        assertThat(window.counts(clock.nanoTime())).isEqualTo(new WindowCounts(1, 0, 1));
    }

    @Test
    void idleGapOfAnyLengthCostsOneRotation() {
        // 10 ns buckets: a window that slid bucket by bucket would loop ~2^59 times here.
        ManualClock clock = new ManualClock(-3L);
        TimeWindow window = new TimeWindow(100L, 10, HALF, clock.nanoTime());
        for (int i = 0; i < 10; i++) {
            window.record(FAILED, clock.advanceNanos(10).nanoTime());
        }
        assertThat(window.counts(clock.nanoTime())).isEqualTo(new WindowCounts(10, 10, 0));

        clock.advanceNanos(Long.MAX_VALUE / 4);
        assertThat(window.counts(clock.nanoTime())).isEqualTo(WindowCounts.EMPTY);
        assertThat(window.record(SLOW, clock.nanoTime())).isEqualTo(KEEP); // 1 call < minimum 2
        assertThat(window.counts(clock.nanoTime())).isEqualTo(new WindowCounts(1, 0, 1));
        assertThat(window.record(SUCCESS, clock.advanceNanos(Long.MAX_VALUE / 4).nanoTime())).isEqualTo(KEEP);
        assertThat(window.counts(clock.nanoTime())).isEqualTo(new WindowCounts(1, 0, 0));
    }

    @Test
    void negativeOrigin() {
        ManualClock clock = new ManualClock(-5 * SECOND - 123);
        TimeWindow window = new TimeWindow(4 * SECOND, 4, HALF, clock.nanoTime());

        window.record(FAILED, clock.nanoTime());
        window.record(SUCCESS, clock.advance(Duration.ofMillis(3_999)).nanoTime()); // crosses nothing yet
        assertThat(window.counts(clock.nanoTime())).isEqualTo(new WindowCounts(2, 1, 0));
        clock.advance(Duration.ofMillis(1)); // 4 s after the origin: epoch 4, the first failure left
        assertThat(window.counts(clock.nanoTime())).isEqualTo(new WindowCounts(1, 0, 0));
        clock.advance(Duration.ofSeconds(6)); // now positive
        assertThat(clock.nanoTime()).isPositive();
        window.record(SLOW, clock.nanoTime());
        assertThat(window.counts(clock.nanoTime())).isEqualTo(new WindowCounts(1, 0, 1));
    }

    @Test
    void extremeOriginsAndAClockThatWraps() {
        ManualClock clock = new ManualClock(Long.MIN_VALUE);
        TimeWindow fromMin = new TimeWindow(10L, 2, HALF, clock.nanoTime());
        fromMin.record(FAILED, clock.nanoTime());
        fromMin.record(SUCCESS, clock.advanceNanos(9).nanoTime());
        assertThat(fromMin.counts(clock.nanoTime())).isEqualTo(new WindowCounts(2, 1, 0));

        clock = new ManualClock(Long.MAX_VALUE - 4);
        TimeWindow wrapping = new TimeWindow(10L, 2, HALF, clock.nanoTime());
        wrapping.record(FAILED, clock.nanoTime());            // epoch 0
        wrapping.record(SLOW, clock.advanceNanos(7).nanoTime()); // wrapped to Long.MIN_VALUE + 2: epoch 1
        assertThat(clock.nanoTime()).isNegative();
        assertThat(wrapping.counts(clock.nanoTime())).isEqualTo(new WindowCounts(2, 1, 1));
        clock.advanceNanos(5); // 12 ns after the origin: epoch 2
        assertThat(wrapping.counts(clock.nanoTime())).isEqualTo(new WindowCounts(1, 0, 1));
    }

    @Test
    void readingTakenBeforeTheOriginStillCounts() {
        // A caller may read the clock just before the breaker creates a new window.
        TimeWindow window = new TimeWindow(20L, 2, HALF, 1_000L);

        window.record(FAILED, 999L); // epoch -1
        assertThat(window.counts(1_000L)).isEqualTo(new WindowCounts(1, 1, 0)); // window (-2, 0]
        assertThat(window.counts(1_010L)).isEqualTo(WindowCounts.EMPTY);       // window (-1, 1]
    }

    @Test
    void negativeEpochsMapToDistinctSlots() {
        // floorMod, not a truncating remainder: epochs -2, -1, 0 and 1 need four distinct slots.
        TimeWindow window = new TimeWindow(40L, 4, HALF, 0L);

        window.record(FAILED, -20L); // epoch -2
        window.record(SLOW, -10L);   // epoch -1
        window.record(SUCCESS, 0L);  // epoch 0
        window.record(SUCCESS, 10L); // epoch 1: window (-3, 1]
        assertThat(window.counts(10L)).isEqualTo(new WindowCounts(4, 1, 1));
    }

    @Test
    void epochsAtTheEdgeOfTheLongRange() {
        // 1 ns buckets and a reading 2^63 - 1 ns before the origin: epoch Long.MIN_VALUE + 1, so
        // "epoch - buckets" would overflow; the window compares epoch differences instead.
        TimeWindow window = new TimeWindow(4L, 4, HALF, 0L);

        window.record(FAILED, Long.MIN_VALUE + 1);
        window.record(SUCCESS, Long.MIN_VALUE + 2);
        assertThat(window.counts(Long.MIN_VALUE + 2)).isEqualTo(new WindowCounts(2, 1, 0));
        assertThat(window.counts(Long.MIN_VALUE + 5)).isEqualTo(new WindowCounts(1, 0, 0));
    }

    @Test
    void outcomeOlderThanTheWindowIsDroppedAndDecidesNothing() {
        TimeWindow window = new TimeWindow(40L, 4, new TripRule(1, 1.0, 1.0), 0L);
        window.record(SUCCESS, 45L); // epoch 4, slot 0

        // A recorder that read the clock at 5 ns (epoch 0, slot 0) is late: epoch 0 is outside
        // the window at 45 ns, and slot 0 already holds epoch 4.
        assertThat(window.record(FAILED, 5L)).isEqualTo(KEEP);
        assertThat(window.counts(45L)).isEqualTo(new WindowCounts(1, 0, 0));

        // A late recorder whose epoch is still inside the window is counted.
        assertThat(window.record(FAILED, 15L)).isEqualTo(TRIP_FAILURE_RATE); // epoch 1: window (-3, 1]
        assertThat(window.counts(45L)).isEqualTo(new WindowCounts(2, 1, 0));
    }

    @Test
    void rejectsInvalidOutcomesAndShapes() {
        TimeWindow window = new TimeWindow(10L, 2, HALF, 0L);

        assertThatIllegalArgumentException().isThrownBy(() -> window.record(8, 0L));
        assertThatIllegalArgumentException().isThrownBy(() -> window.record(-2, 0L));
        assertThat(window.counts(0L)).isEqualTo(WindowCounts.EMPTY);
        assertThatIllegalArgumentException().isThrownBy(() -> new TimeWindow(0L, 1, HALF, 0L));
        assertThatIllegalArgumentException().isThrownBy(() -> new TimeWindow(10L, 0, HALF, 0L));
        // A length the buckets do not divide is rounded down to whole buckets, as SlidingWindow
        // documents, not rejected late.
        assertThat(new TimeWindow(10L, 3, HALF, 0L)).hasToString("TimeWindow(9 ns, 3 buckets)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TimeWindow(10_000L, SlidingWindow.MAX_BUCKETS + 1, HALF, 0L));
    }
}
