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

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CountWindowTest {

    private static final TripRule HALF = new TripRule(2, 50.0, 50.0);

    @Test
    void newWindowStartsEmpty() {
        CountWindow window = new CountWindow(5, HALF);

        assertThat(window.counts(0L)).isEqualTo(WindowCounts.EMPTY);
        assertThat(window.recount()).isEqualTo(WindowCounts.EMPTY);
    }

    @Test
    void slidingWindowCreatesACountWindow() {
        OutcomeWindow window = Windows.newWindow(SlidingWindow.countBased(3), HALF, 42L);

        assertThat(window).isInstanceOf(CountWindow.class);
        assertThat(((CountWindow) window).size()).isEqualTo(3);
    }

    @Test
    void emptySlotIsNotASuccess() {
        // The fast path must not mistake a never-written slot for a recorded success.
        CountWindow window = new CountWindow(3, HALF);

        window.record(SUCCESS, 0L);
        window.record(SUCCESS, 0L);
        window.record(SUCCESS, 0L);

        assertThat(window.counts(0L)).isEqualTo(new WindowCounts(3, 0, 0));
    }

    @Test
    void successOverSuccessKeepsCountsAndEvictionStillWorks() {
        CountWindow window = new CountWindow(2, HALF);
        window.record(SUCCESS, 0L);
        window.record(SUCCESS, 0L);

        window.record(SUCCESS, 0L); // fast path
        assertThat(window.counts(0L)).isEqualTo(new WindowCounts(2, 0, 0));

        assertThat(window.record(FAILED, 0L)).isEqualTo(TRIP_FAILURE_RATE);
        assertThat(window.counts(0L)).isEqualTo(new WindowCounts(2, 1, 0));
        window.record(SUCCESS, 0L); // evicts a success: fast path again
        window.record(SUCCESS, 0L); // evicts the failure: full path
        assertThat(window.counts(0L)).isEqualTo(new WindowCounts(2, 0, 0));
    }

    @Test
    void successReturnsKeepWithoutEvaluating() {
        CountWindow window = new CountWindow(4, new TripRule(1, 10.0, 10.0));
        window.record(FAILED | SLOW, 0L);

        // The rule would trip on (2 calls, 1 failed, 1 slow), but a success never decides a trip.
        assertThat(window.record(SUCCESS, 0L)).isEqualTo(KEEP);
    }

    @Test
    void sizeOneHoldsOnlyTheLastOutcome() {
        CountWindow window = new CountWindow(1, new TripRule(1, 100.0, 100.0));

        assertThat(window.record(FAILED, 0L)).isEqualTo(TRIP_FAILURE_RATE);
        assertThat(window.counts(0L)).isEqualTo(new WindowCounts(1, 1, 0));
        assertThat(window.record(SLOW, 0L)).isEqualTo(TRIP_SLOW_CALL_RATE);
        assertThat(window.counts(0L)).isEqualTo(new WindowCounts(1, 0, 1));
        assertThat(window.record(SUCCESS, 0L)).isEqualTo(KEEP);
        assertThat(window.counts(0L)).isEqualTo(new WindowCounts(1, 0, 0));
        assertThat(window.record(SUCCESS, 0L)).isEqualTo(KEEP);
        assertThat(window.record(FAILED | SLOW, 0L)).isEqualTo(TRIP_FAILURE_RATE | TRIP_SLOW_CALL_RATE);
        assertThat(window.counts(0L)).isEqualTo(new WindowCounts(1, 1, 1));
        assertThat(window.recount()).isEqualTo(window.counts(0L));
    }

    @Test
    void maxCountSizeFillsEveryFieldToTheTop() {
        int n = SlidingWindow.MAX_COUNT_SIZE;
        CountWindow window = new CountWindow(n, new TripRule(n, 100.0, 100.0));

        for (int i = 0; i < n - 1; i++) {
            assertThat(window.record(FAILED | SLOW, 0L)).isEqualTo(KEEP); // below minimumNumberOfCalls
        }
        assertThat(window.record(FAILED | SLOW, 0L)).isEqualTo(TRIP_FAILURE_RATE | TRIP_SLOW_CALL_RATE);
        assertThat(window.counts(0L)).isEqualTo(new WindowCounts(n, n, n));

        for (int i = 0; i < n; i++) {
            window.record(SUCCESS, 0L);
        }
        assertThat(window.counts(0L)).isEqualTo(new WindowCounts(n, 0, 0));
        assertThat(window.record(FAILED, 0L)).isEqualTo(KEEP); // 1 failure in 1,000,000 calls
        assertThat(window.counts(0L)).isEqualTo(new WindowCounts(n, 1, 0));
        assertThat(window.recount()).isEqualTo(window.counts(0L));
    }

    @Test
    void stripedSuccessesReachTheRingBeforeTheNextFailureIsEvaluated() {
        // 10 calls, at least 10 of them, 50%: five pending successes then five failures trip on the
        // fifth failure only if the failures drain the successes in front of themselves.
        CountWindow window = new CountWindow(10, new TripRule(10, 50.0, 100.0), 0L, true);
        for (int i = 0; i < 5; i++) {
            assertThat(window.record(SUCCESS, 0L)).isEqualTo(KEEP);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(window.record(FAILED, 0L)).isEqualTo(KEEP);
        }
        assertThat(window.record(FAILED, 0L)).isEqualTo(TRIP_FAILURE_RATE);
        assertThat(window.counts(0L)).isEqualTo(new WindowCounts(10, 5, 0));
    }

    @Test
    void stripedSuccessesEvictOldFailuresWhenACellFills() {
        // A full cell is applied without any failure or read: DRAIN_AT successes over a ring of
        // failures leave only successes, as the last `size` outcomes say.
        int size = 8;
        CountWindow window = new CountWindow(size, new TripRule(1, 100.0, 100.0), 0L, true);
        for (int i = 0; i < size; i++) {
            window.record(FAILED, 0L);
        }
        for (int i = 0; i < CountWindow.DRAIN_AT; i++) {
            window.record(SUCCESS, 0L);
        }
        // The slots already hold the cell's successes before anything drains.
        assertThat(window.recountWithoutDraining()).isEqualTo(new WindowCounts(size, 0, 0));
        assertThat(window.counts(0L)).isEqualTo(new WindowCounts(size, 0, 0));
    }

    @Test
    void countsOnlyReadsPendingSuccessesWithoutDrainingThem() {
        // A metrics scrape must not write to the call path's lines: counts() leaves the successes in
        // their cells, yet reports what draining them would give, here evicting two old failures.
        int size = 6;
        CountWindow window = new CountWindow(size, new TripRule(1, 100.0, 100.0), 0L, true);
        for (int i = 0; i < size; i++) {
            window.record(i % 2 == 0 ? FAILED : (FAILED | SLOW), 0L);
        }
        for (int i = 0; i < 3; i++) {
            window.record(SUCCESS, 0L); // pending in the calling thread's cell
        }

        WindowCounts read = window.counts(0L);

        assertThat(read).isEqualTo(new WindowCounts(size, 3, 2)); // F, FS, F evicted; FS, F, FS left
        assertThat(window.recountWithoutDraining()).isEqualTo(new WindowCounts(size, 6, 3)); // nothing drained
        assertThat(window.counts(0L)).isEqualTo(read);
        assertThat(window.recount()).isEqualTo(read); // draining gives the same figures
    }

    @Test
    void rejectsInvalidOutcomesAndSizes() {
        CountWindow window = new CountWindow(3, HALF);

        assertThatIllegalArgumentException().isThrownBy(() -> window.record(4, 0L));
        assertThatIllegalArgumentException().isThrownBy(() -> window.record(-1, 0L));
        assertThat(window.counts(0L)).isEqualTo(WindowCounts.EMPTY);
        assertThatIllegalArgumentException().isThrownBy(() -> new CountWindow(0, HALF));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CountWindow(SlidingWindow.MAX_COUNT_SIZE + 1, HALF));
    }

    @Test
    void ringContinuesAcrossTheSignBitOfTheTicket() {
        // Tickets are unsigned: Long.MAX_VALUE is followed by 2^63 (Long.MIN_VALUE), not a jump.
        CountWindow window = new CountWindow(3, HALF, Long.MAX_VALUE - 4);

        for (int i = 0; i < 9; i++) {
            window.record(i % 3 == 0 ? FAILED : SUCCESS, 0L);
            assertThat(window.recount()).isEqualTo(window.counts(0L));
        }
        assertThat(window.counts(0L)).isEqualTo(new WindowCounts(3, 1, 0));
    }

    // ---- ticket to slot -------------------------------------------------------------------------

    @Test
    void indexEqualsUnsignedRemainderOverManyTicketsIncludingNearOverflow() {
        int[] sizes = {1, 2, 3, 5, 7, 10, 64, 100, 1000, 4099, 65_535, 999_983,
                SlidingWindow.MAX_COUNT_SIZE, (1 << 21) - 1, Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
        SplittableRandom random = new SplittableRandom(20_240_601L);
        for (int size : sizes) {
            long reciprocal = CountWindow.reciprocal(size);
            checkRange(0L, 100_000, size, reciprocal);
            checkRange(Long.MAX_VALUE - 50_000, 100_000, size, reciprocal); // across 2^63
            checkRange(-100_000L, 100_000, size, reciprocal); // up to 2^64 - 1
            checkRange((long) size * 1_000_003L - 5, 20, size, reciprocal); // around multiples
            checkRange(Long.divideUnsigned(-1L, size) * size - 10, 20, size, reciprocal); // last multiple
            for (int i = 0; i < 100_000; i++) {
                long ticket = random.nextLong();
                assertIndex(ticket, size, reciprocal);
            }
        }
    }

    private static void checkRange(long first, int count, int size, long reciprocal) {
        for (int i = 0; i < count; i++) {
            assertIndex(first + i, size, reciprocal);
        }
    }

    private static void assertIndex(long ticket, int size, long reciprocal) {
        int index = CountWindow.index(ticket, size, reciprocal);
        if (index != Long.remainderUnsigned(ticket, size)) { // no AssertJ object per check
            assertThat(index).as("index(%s, %s)", Long.toUnsignedString(ticket), size)
                    .isEqualTo(Long.remainderUnsigned(ticket, size));
        }
    }

    // ---- packed aggregate -----------------------------------------------------------------------

    @Test
    void decodesATransientNegativeFieldAsMinusOne() {
        // Thread A swaps FAILED into an empty slot, thread B then swaps SUCCESS over it; if B's
        // delta reaches the aggregate first, failed is transiently -1.
        long deltaA = CountWindow.contribution(CountWindow.PRESENT | FAILED);
        long deltaB = CountWindow.contribution(CountWindow.PRESENT | SUCCESS)
                - CountWindow.contribution(CountWindow.PRESENT | FAILED);

        long transientAggregate = deltaB;
        assertThat(CountWindow.calls(transientAggregate)).isZero();
        assertThat(CountWindow.failed(transientAggregate)).isEqualTo(-1);
        assertThat(CountWindow.slow(transientAggregate)).isZero();
        // An unsigned decode would have read failed as 2^21 - 1 and slow as -1 or 2^21 - 1.
        assertThat(transientAggregate & ((1L << 21) - 1)).isZero();
        assertThat((transientAggregate >>> 21) & ((1L << 21) - 1)).isEqualTo((1L << 21) - 1);

        long settled = transientAggregate + deltaA;
        assertThat(settled).isEqualTo(CountWindow.pack(1, 0, 0));
    }

    @Test
    void decodesEveryFieldNegativeAtOnceAndTheExtremes() {
        assertDecodes(-1, -1, -1);
        assertDecodes(-1, 0, 0);
        assertDecodes(0, 0, -1);
        assertDecodes(5, -1, 3);
        assertDecodes(-(1 << 20), (1 << 20) - 1, -(1 << 20));
        assertDecodes((1 << 20) - 1, -(1 << 20), (1 << 20) - 1);
        assertDecodes(SlidingWindow.MAX_COUNT_SIZE, SlidingWindow.MAX_COUNT_SIZE, SlidingWindow.MAX_COUNT_SIZE);
    }

    private static void assertDecodes(long calls, long failed, long slow) {
        long packed = CountWindow.pack(calls, failed, slow);
        assertThat(new long[] {CountWindow.calls(packed), CountWindow.failed(packed), CountWindow.slow(packed)})
                .containsExactly(calls, failed, slow);
    }

    @Test
    void verdictAndCountsClampTransients() {
        TripRule rule = new TripRule(1, 50.0, 50.0);

        // calls 3, failed 4 (a failure counted before its call), slow -1.
        assertThat(CountWindow.evaluate(rule, CountWindow.pack(3, 4, -1), 10))
                .isEqualTo(rule.evaluate(3, 3, 0));
        // calls -1: no call yet, nothing can trip.
        assertThat(CountWindow.evaluate(rule, CountWindow.pack(-1, 0, 0), 10)).isEqualTo(KEEP);
        // calls above the capacity by a recorder in flight.
        assertThat(CountWindow.clampedCalls(CountWindow.pack(11, 11, 0), 10)).isEqualTo(10);
        assertThat(CountWindow.evaluate(rule, CountWindow.pack(11, 11, 0), 10))
                .isEqualTo(rule.evaluate(10, 10, 0));
        assertThat(CountWindow.clamp(-1, 5)).isZero();
        assertThat(CountWindow.clamp(6, 5)).isEqualTo(5);
        assertThat(CountWindow.clamp(3, 5)).isEqualTo(3);
    }

    @Test
    void contributionsOfEveryCode() {
        assertThat(CountWindow.contribution(CountWindow.EMPTY)).isZero();
        assertThat(CountWindow.contribution(CountWindow.PRESENT | SUCCESS)).isEqualTo(CountWindow.pack(1, 0, 0));
        assertThat(CountWindow.contribution(CountWindow.PRESENT | FAILED)).isEqualTo(CountWindow.pack(1, 1, 0));
        assertThat(CountWindow.contribution(CountWindow.PRESENT | SLOW)).isEqualTo(CountWindow.pack(1, 0, 1));
        assertThat(CountWindow.contribution(CountWindow.PRESENT | FAILED | SLOW))
                .isEqualTo(CountWindow.pack(1, 1, 1));
    }
}
