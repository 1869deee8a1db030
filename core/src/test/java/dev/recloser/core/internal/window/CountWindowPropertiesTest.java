package dev.recloser.core.internal.window;

import dev.recloser.core.SlidingWindow;
import static dev.recloser.core.internal.window.OutcomeWindow.FAILED;
import static dev.recloser.core.internal.window.OutcomeWindow.KEEP;
import static dev.recloser.core.internal.window.OutcomeWindow.SLOW;
import static dev.recloser.core.internal.window.OutcomeWindow.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The count window against a sequential model; tries come from {@code jqwik.tries.default}. */
class CountWindowPropertiesTest {

    private static final int MAX_HISTORY = 400;

    @Property
    void behavesLikeTheLastNOutcomes(@ForAll("rules") TripRule rule,
                                     @ForAll @IntRange(min = 1, max = 40) int size,
                                     @ForAll("firstTickets") long firstTicket,
                                     @ForAll("histories") List<Integer> outcomes,
                                     @ForAll boolean striped,
                                     @ForAll @IntRange(min = 1, max = 100) int checkEvery) {
        // striped: every success goes through a cell and reaches the ring only when its cell fills
        // (DRAIN_AT), when a failed or slow outcome drains the cells, or when counts() does. counts()
        // is therefore checked only every checkEvery records, so that verdicts are also evaluated
        // with successes still pending; the model must not see the difference either way.
        CountWindow window = new CountWindow(size, rule, firstTicket, striped);
        Model model = new Model(size);

        int step = 0;
        for (int outcome : outcomes) {
            int verdict = window.record(outcome, 0L);
            model.record(outcome);

            WindowCounts expected = model.counts();
            assertThat(verdict).isEqualTo(outcome == SUCCESS ? KEEP
                    : rule.evaluate(expected.calls(), expected.failedCalls(), expected.slowCalls()));
            if (++step % checkEvery == 0) {
                assertThat(window.counts(0L)).isEqualTo(expected);
                assertThat(window.recount()).isEqualTo(expected);
            }
        }
        assertThat(window.counts(0L)).isEqualTo(model.counts());
        assertThat(window.recount()).isEqualTo(model.counts());
        assertThat(window.isStriped()).isEqualTo(striped); // one thread never contends
    }

    @Property
    void indexIsTheUnsignedRemainder(@ForAll long ticket,
                                     @ForAll @IntRange(min = 1, max = SlidingWindow.MAX_COUNT_SIZE) int size) {
        assertThat(CountWindow.index(ticket, size, CountWindow.reciprocal(size)))
                .isEqualTo(Long.remainderUnsigned(ticket, size));
    }

    @Property
    void packedAdditionOfSignedFieldsDecodesExactly(
            @ForAll @LongRange(min = -(1 << 19), max = (1 << 19) - 1) long calls1,
            @ForAll @LongRange(min = -(1 << 19), max = (1 << 19) - 1) long failed1,
            @ForAll @LongRange(min = -(1 << 19), max = (1 << 19) - 1) long slow1,
            @ForAll @LongRange(min = -(1 << 19), max = (1 << 19) - 1) long calls2,
            @ForAll @LongRange(min = -(1 << 19), max = (1 << 19) - 1) long failed2,
            @ForAll @LongRange(min = -(1 << 19), max = (1 << 19) - 1) long slow2) {
        // Deltas of different recorders are added in any order; the sum must decode field by field.
        long sum = CountWindow.pack(calls1, failed1, slow1) + CountWindow.pack(calls2, failed2, slow2);

        assertThat(CountWindow.calls(sum)).isEqualTo(calls1 + calls2);
        assertThat(CountWindow.failed(sum)).isEqualTo(failed1 + failed2);
        assertThat(CountWindow.slow(sum)).isEqualTo(slow1 + slow2);
    }

    @Provide
    Arbitrary<TripRule> rules() {
        return WindowArbitraries.rules(45);
    }

    @Provide
    Arbitrary<Long> firstTickets() {
        // Every start leaves room for MAX_HISTORY tickets before 2^64, where the ring jumps once.
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0L)),
                Tuple.of(1, Arbitraries.longs().between(0L, Long.MAX_VALUE)),
                Tuple.of(2, Arbitraries.longs().between(Long.MAX_VALUE - MAX_HISTORY, Long.MAX_VALUE)),
                Tuple.of(1, Arbitraries.longs().between(Long.MIN_VALUE, -MAX_HISTORY - 1L)),
                Tuple.of(1, Arbitraries.longs().between(-2L * MAX_HISTORY, -MAX_HISTORY - 1L)));
    }

    @Provide
    Arbitrary<List<Integer>> histories() {
        // Mixed histories, and mostly-success ones whose long runs of successes fill cells.
        Arbitrary<Integer> mostlySuccesses = Arbitraries.frequency(
                Tuple.of(30, SUCCESS), Tuple.of(1, FAILED), Tuple.of(1, SLOW));
        return Arbitraries.oneOf(WindowArbitraries.outcomes().list().ofMaxSize(MAX_HISTORY),
                mostlySuccesses.list().ofMaxSize(MAX_HISTORY));
    }

    /** The last {@code size} outcomes in a plain deque. */
    private static final class Model {
        private final int size;
        private final ArrayDeque<Integer> outcomes = new ArrayDeque<>();

        Model(int size) {
            this.size = size;
        }

        void record(int outcome) {
            outcomes.addLast(outcome);
            if (outcomes.size() > size) {
                outcomes.removeFirst();
            }
        }

        WindowCounts counts() {
            long failed = outcomes.stream().filter(o -> (o & FAILED) != 0).count();
            long slow = outcomes.stream().filter(o -> (o & SLOW) != 0).count();
            return new WindowCounts(outcomes.size(), failed, slow);
        }
    }
}
