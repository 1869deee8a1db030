package dev.recloser.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.benchmarks.report.Targets.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {

    private static List<Outcome> outcomes(List<String> rows) {
        return Targets.evaluate(ResultSet.of(JmhResult.parse(Fixtures.file(rows), "x")));
    }

    private static Outcome target(List<Outcome> outcomes, String textStart) {
        return outcomes.stream().filter(o -> o.target().text().startsWith(textStart)).findFirst().orElseThrow();
    }

    @Test
    void evaluatesEveryTargetOnTheData() {
        List<String> rows = new ArrayList<>(Fixtures.run(1, 1));
        rows.addAll(Fixtures.run(2, 1));
        List<Outcome> outcomes = outcomes(rows);
        assertThat(outcomes).hasSize(Targets.TARGETS.size());

        Outcome closedCount = target(outcomes, "closed path ≤ 20 ns at 1 thread, count window");
        assertThat(closedCount.met()).isTrue();
        assertThat(closedCount.figure()).isEqualTo("10.0 ns");
        assertThat(closedCount.verdict()).isEqualTo("**met**");

        // No TIME window in the fixture.
        Outcome closedTime = target(outcomes, "closed path ≤ 20 ns at 1 thread, time window");
        assertThat(closedTime.cases()).isEmpty();
        assertThat(closedTime.verdict()).isEqualTo("no data");

        Outcome allocation = target(outcomes, "closed path 0 B/op");
        assertThat(allocation.met()).isTrue();
        assertThat(allocation.figure()).startsWith("0 B/op (largest gc.alloc.rate.norm: 1.0e-4 B/op");

        Outcome speedup = target(outcomes, "closed path at 2 threads");
        assertThat(speedup.met()).isTrue();
        assertThat(speedup.figure()).startsWith("10.0 ns vs 30.0 ns = 3.00×");
        assertThat(speedup.verdict()).isEqualTo("**met**");

        Outcome rejection = target(outcomes, "rejection ≤ 5 ns");
        assertThat(rejection.cases()).hasSize(2);
        assertThat(rejection.figure()).isEqualTo("1 thread: 4.0 ns; 2 threads: 4.0 ns");
        assertThat(rejection.met()).isTrue();
    }

    @Test
    void namesTheFailingCasesAndQualifiesAVerdictWithinTheError() {
        List<String> rows = List.of(
                Fixtures.avgt("RejectionBenchmark.recloser", Fixtures.state("OPEN"), 1, 26.5, 0.1, 26.4, 26.6, 0),
                Fixtures.avgt("RejectionBenchmark.recloser", Fixtures.state("FORCED_OPEN"), 1, 4.5, 1.0, 4, 6, 0),
                Fixtures.avgt("CoreBreakerBenchmark.recloser", Fixtures.window("COUNT"), 2, 23.8, 12.2, 15.6, 55.8, 0),
                Fixtures.avgt("CoreBreakerBenchmark.resilience4jSynchronized", Fixtures.window("COUNT"), 2, 57.7, 1.4,
                        55.2, 59.8, 40));
        List<Outcome> outcomes = outcomes(rows);

        Outcome rejection = target(outcomes, "rejection ≤ 5 ns");
        assertThat(rejection.figure()).isEqualTo("OPEN 26.5 ns, FORCED_OPEN 4.5 ns (iterations 4.0–6.0)");
        assertThat(rejection.verdict()).isEqualTo("**not met** for OPEN; not beyond the 99.9% error: FORCED_OPEN 3.5–5.5 ns");

        Outcome speedup = target(outcomes, "closed path at 2 threads");
        assertThat(speedup.figure()).isEqualTo("23.8 ns vs 57.7 ns = 2.42× (iterations: Recloser 15.6–55.8 ns, "
                + "Resilience4j SYNCHRONIZED 55.2–59.8 ns)");
        assertThat(speedup.verdict()).isEqualTo("**met**; not beyond the 99.9% error: ratio 1.56–5.09×");
    }

    @Test
    void anAllocationAboveNoiseIsNotMet() {
        List<Outcome> outcomes = outcomes(List.of(
                Fixtures.avgt("RejectionBenchmark.recloser", Fixtures.state("OPEN"), 1, 3, 0.1, 3, 3, 24)));
        Outcome allocation = target(outcomes, "rejection 0 B/op");
        assertThat(allocation.met()).isFalse();
        assertThat(allocation.figure()).startsWith("24 B/op");
        assertThat(allocation.verdict()).isEqualTo("**not met**");
    }

    @Test
    void everyTargetNamesAMethodTheCatalogKnows() {
        for (Targets.Target t : Targets.TARGETS) {
            assertThat(Catalog.isKnown(t.className(), t.method())).as(t.text()).isTrue();
            if (t.peerMethod() != null) {
                assertThat(Catalog.isKnown(t.className(), t.peerMethod())).as(t.text()).isTrue();
            }
            assertThat(Catalog.classInfo(t.className()).paramTitles().keySet())
                    .containsAll(t.params().values());
        }
    }
}
