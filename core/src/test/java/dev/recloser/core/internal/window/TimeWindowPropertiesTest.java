package dev.recloser.core.internal.window;

import static dev.recloser.core.internal.window.OutcomeWindow.FAILED;
import static dev.recloser.core.internal.window.OutcomeWindow.KEEP;
import static dev.recloser.core.internal.window.OutcomeWindow.SLOW;
import static dev.recloser.core.internal.window.OutcomeWindow.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The time window against a sequential model; tries come from {@code jqwik.tries.default}. */
class TimeWindowPropertiesTest {

    /** How far the clock moves before an outcome is recorded. */
    enum Advance { ZERO, WITHIN_BUCKET, ONE_BUCKET, WITHIN_WINDOW, ONE_WINDOW, UP_TO_TEN_WINDOWS }

    /** One step of a history: move the clock, look, record an outcome, look again. */
    record Step(Advance advance, long random, int outcome) {

        long nanos(long bucketNanos, long lengthNanos) {
            return switch (advance) {
                case ZERO -> 0L;
                case WITHIN_BUCKET -> random % bucketNanos;
                case ONE_BUCKET -> bucketNanos;
                case WITHIN_WINDOW -> random % (lengthNanos + 1);
                case ONE_WINDOW -> lengthNanos;
                case UP_TO_TEN_WINDOWS -> random % (10 * lengthNanos + 1);
            };
        }
    }

    @Property
    void behavesLikeBucketedOutcomes(@ForAll("rules") TripRule rule,
                                     @ForAll @IntRange(min = 1, max = 8) int buckets,
                                     @ForAll @LongRange(min = 1, max = 1_000) long bucketNanos,
                                     @ForAll("origins") long originNanos,
                                     @ForAll @LongRange(min = -2_000, max = 0) long firstReadingNanos,
                                     @ForAll("histories") List<Step> steps,
                                     @ForAll boolean striped) {
        long lengthNanos = bucketNanos * buckets;
        // striped: every bucket counts its successes in cells, as contended buckets do.
        TimeWindow window = new TimeWindow(lengthNanos, buckets, rule, originNanos, striped);
        Model model = new Model(bucketNanos, buckets);
        // Exact, never wraps: the model does not rely on wrapping arithmetic. It may start before
        // the origin, as a reading taken just before the breaker created the window does.
        long elapsedNanos = firstReadingNanos;

        for (Step step : steps) {
            elapsedNanos += step.nanos(bucketNanos, lengthNanos);
            long now = originNanos + elapsedNanos; // may wrap, as nanoTime may
            assertThat(window.counts(now)).isEqualTo(model.counts(elapsedNanos));

            int verdict = window.record(step.outcome(), now);
            model.record(elapsedNanos, step.outcome());

            WindowCounts expected = model.counts(elapsedNanos);
            assertThat(window.counts(now)).isEqualTo(expected);
            assertThat(verdict).isEqualTo(step.outcome() == SUCCESS ? KEEP
                    : rule.evaluate(expected.calls(), expected.failedCalls(), expected.slowCalls()));
            if (striped && expected.calls() > 0) {
                assertThat(window.isStriped(now)).isTrue();
            }
        }
    }

    @Provide
    Arbitrary<TripRule> rules() {
        return WindowArbitraries.rules(20);
    }

    @Provide
    Arbitrary<Long> origins() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.longs()),
                Tuple.of(1, Arbitraries.longs().between(Long.MAX_VALUE - 100_000, Long.MAX_VALUE)),
                Tuple.of(1, Arbitraries.longs().between(Long.MIN_VALUE, Long.MIN_VALUE + 100)),
                Tuple.of(1, Arbitraries.longs().between(-100_000, 0)));
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Advance> advances = Arbitraries.frequency(
                Tuple.of(3, Advance.ZERO),
                Tuple.of(4, Advance.WITHIN_BUCKET),
                Tuple.of(1, Advance.ONE_BUCKET),
                Tuple.of(2, Advance.WITHIN_WINDOW),
                Tuple.of(1, Advance.ONE_WINDOW),
                Tuple.of(1, Advance.UP_TO_TEN_WINDOWS));
        return Combinators.combine(advances, Arbitraries.longs().between(0, Long.MAX_VALUE),
                        WindowArbitraries.outcomes())
                .as(Step::new)
                .list().ofMaxSize(300);
    }

    /** Every outcome with its exact time; an outcome counts while its bucket epoch is in the window. */
    private static final class Model {
        private final long bucketNanos;
        private final int buckets;
        private final List<long[]> outcomes = new ArrayList<>(); // {elapsedNanos, outcome}

        Model(long bucketNanos, int buckets) {
            this.bucketNanos = bucketNanos;
            this.buckets = buckets;
        }

        void record(long elapsedNanos, int outcome) {
            outcomes.add(new long[] {elapsedNanos, outcome});
        }

        WindowCounts counts(long elapsedNanos) {
            long current = Math.floorDiv(elapsedNanos, bucketNanos);
            long calls = 0;
            long failed = 0;
            long slow = 0;
            for (long[] o : outcomes) {
                if (Math.floorDiv(o[0], bucketNanos) > current - buckets) {
                    calls++;
                    failed += (o[1] & FAILED) != 0 ? 1 : 0;
                    slow += (o[1] & SLOW) != 0 ? 1 : 0;
                }
            }
            return new WindowCounts(calls, failed, slow);
        }
    }
}
