package dev.recloser.core.internal.window;

import static dev.recloser.core.internal.window.OutcomeWindow.FAILED;
import static dev.recloser.core.internal.window.OutcomeWindow.SLOW;
import static dev.recloser.core.internal.window.OutcomeWindow.SUCCESS;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators shared by the window property tests. */
final class WindowArbitraries {

    private WindowArbitraries() {
    }

    /**
     * Outcomes, successes first: runs of successes exercise the count window's fast path, and
     * whole percents make thresholds fall exactly on a rate now and then.
     */
    static Arbitrary<Integer> outcomes() {
        return Arbitraries.frequency(
                Tuple.of(5, SUCCESS),
                Tuple.of(2, FAILED),
                Tuple.of(2, SLOW),
                Tuple.of(1, FAILED | SLOW));
    }

    /** Trip rules with a minimum number of calls in [1, maxMinimumCalls]. */
    static Arbitrary<TripRule> rules(int maxMinimumCalls) {
        return Combinators.combine(
                Arbitraries.integers().between(1, maxMinimumCalls),
                percents(),
                percents()
        ).as(TripRule::new);
    }

    private static Arbitrary<Double> percents() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(1, 100).map(Integer::doubleValue),
                Arbitraries.doubles().between(0.0, false, 100.0, true).ofScale(3));
    }
}
