package dev.recloser.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recloser.benchmarks.report.Catalog.Library;
import dev.recloser.benchmarks.report.Catalog.Variant;
import dev.recloser.benchmarks.report.ResultSet.Row;
import dev.recloser.benchmarks.report.ResultSet.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultSetTest {

    private static ResultSet twoRuns() {
        List<JmhResult> all = new ArrayList<>();
        all.addAll(JmhResult.parse(Fixtures.file(Fixtures.run(1, 1)), "t1.json"));
        all.addAll(JmhResult.parse(Fixtures.file(Fixtures.run(2, 3)), "t2.json"));
        return ResultSet.of(all);
    }

    @Test
    void groupsByClassModeAndParameters() {
        ResultSet results = twoRuns();
        assertThat(results.sections()).extracting(ResultSet.Section::className, ResultSet.Section::mode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("CoreBreakerBenchmark", "avgt"),
                        org.assertj.core.groups.Tuple.tuple("RejectionBenchmark", "avgt"),
                        org.assertj.core.groups.Tuple.tuple("RejectionLatencyBenchmark", "sample"));
        assertThat(results.tables()).extracting(Table::title)
                .containsExactly("Count window (last 100 calls)",
                        "OPEN (tripped by failures, open wait not elapsed)", "OPEN");
        assertThat(results.tables()).extracting(Table::shortTitle)
                .containsExactly("closed, count window", "rejection, OPEN", "sampled rejection, OPEN");
        assertThat(results.threadCounts()).containsExactly(1, 2);
    }

    @Test
    void ordersRowsByThreadsThenByTheCatalog() {
        Table closed = twoRuns().tables().get(0);
        assertThat(closed.rows()).extracting(r -> r.threads() + " " + r.method()).containsExactly(
                "1 baseline", "1 recloser", "1 resilience4jSynchronized", "1 failsafe",
                "2 baseline", "2 recloser", "2 resilience4jSynchronized", "2 failsafe");
        assertThat(closed.threadCounts()).containsExactly(1, 2);
    }

    @Test
    void dividesByRecloserAndByTheBaselineOfTheSameThreadCount() {
        Table closed = twoRuns().tables().get(0);
        Row r4j1 = closed.row("resilience4jSynchronized", 1).orElseThrow();
        assertThat(r4j1.perRecloser()).isCloseTo(3.0, within(1e-9));
        assertThat(r4j1.perBaseline()).isCloseTo(60.0, within(1e-9));
        Row r4j2 = closed.row("resilience4jSynchronized", 2).orElseThrow();
        // Both scaled by 3 in the 2-thread run: the ratios are unchanged, i.e. not across runs.
        assertThat(r4j2.perRecloser()).isCloseTo(3.0, within(1e-9));
        assertThat(r4j2.perBaseline()).isCloseTo(60.0, within(1e-9));
        Row recloser = closed.recloser(2).orElseThrow();
        assertThat(recloser.perRecloser()).isEqualTo(1.0);
        assertThat(recloser.info().library()).isEqualTo(Library.RECLOSER);
    }

    @Test
    void exceptionRowsAreDividedByTheBareRecloserRow() {
        Table open = twoRuns().tables().get(1);
        Row withException = open.row("recloserWithException", 1).orElseThrow();
        assertThat(withException.info().variant()).isEqualTo(Variant.WITH_EXCEPTION);
        assertThat(withException.perRecloser()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void aMethodWithoutTheParameterIsSharedByEveryPath() {
        List<JmhResult> all = new ArrayList<>(JmhResult.parse(Fixtures.file(Fixtures.run(1, 1)), "a"));
        all.addAll(JmhResult.parse(Fixtures.file(List.of(
                Fixtures.avgt("RejectionBenchmark.baseline", Fixtures.state("FORCED_OPEN"), 1, 0.5, 0, 0.5, 0.5, 0),
                Fixtures.avgt("RejectionBenchmark.recloser", Fixtures.state("FORCED_OPEN"), 1, 2, 0, 2, 2, 0))),
                "b"));
        ResultSet results = ResultSet.of(all);
        List<Table> rejection = results.tables("RejectionBenchmark", Map.of());
        assertThat(rejection).extracting(t -> t.params().get("state")).containsExactly("OPEN", "FORCED_OPEN");
        for (Table t : rejection) {
            Row nanoTime = t.row("baselineNanoTime", 1).orElseThrow();
            assertThat(nanoTime.shared()).isTrue();
            assertThat(nanoTime.result().score()).isEqualTo(20);
        }
        // Its ratio is to each table's own Recloser row.
        assertThat(rejection.get(0).row("baselineNanoTime", 1).orElseThrow().perRecloser()).isEqualTo(5.0);
        assertThat(rejection.get(1).row("baselineNanoTime", 1).orElseThrow().perRecloser()).isEqualTo(10.0);
        assertThat(rejection.get(1).row("recloser", 1).orElseThrow().shared()).isFalse();
    }

    @Test
    void aLaterDuplicateReplacesTheEarlierOneWithAWarning() {
        List<JmhResult> all = new ArrayList<>(JmhResult.parse(Fixtures.file(Fixtures.run(1, 1)), "old.json"));
        all.addAll(JmhResult.parse(Fixtures.file(List.of(Fixtures.avgt("CoreBreakerBenchmark.recloser",
                Fixtures.window("COUNT"), 1, 12, 0.1, 11, 13, 0))), "new.json"));
        List<String> warnings = new ArrayList<>();
        ResultSet results = ResultSet.of(all, warnings::add);
        assertThat(warnings).singleElement().asString().contains("CoreBreakerBenchmark.recloser", "old.json", "new.json");
        Table closed = results.tables().get(0);
        assertThat(closed.row("recloser", 1).orElseThrow().result().score()).isEqualTo(12);
        assertThat(closed.row("failsafe", 1).orElseThrow().perRecloser()).isCloseTo(20.0 / 12, within(1e-9));
    }

    @Test
    void unknownMethodsAndClassesAreInferredFromTheirNames() {
        ResultSet results = ResultSet.of(JmhResult.parse(Fixtures.file(List.of(
                Fixtures.avgt("NewBenchmark.baseline", Map.of("size", "10"), 1, 1, 0, 1, 1, 0),
                Fixtures.avgt("NewBenchmark.recloserBulkhead", Map.of("size", "10"), 1, 4, 0, 4, 4, 0),
                Fixtures.avgt("NewBenchmark.resilience4jLockFreeBulkhead", Map.of("size", "10"), 1, 8, 0, 8, 8, 0),
                Fixtures.avgt("NewBenchmark.failsafeWithException", Map.of("size", "10"), 1, 8, 0, 8, 8, 0),
                Fixtures.avgt("NewBenchmark.something", Map.of("size", "10"), 1, 2, 0, 2, 2, 0))), "x"));
        Table t = results.tables().get(0);
        assertThat(t.title()).isEqualTo("size = 10");
        assertThat(t.row("recloserBulkhead", 1).orElseThrow().info().isRecloserReference()).isTrue();
        assertThat(t.row("resilience4jLockFreeBulkhead", 1).orElseThrow().info().library())
                .isEqualTo(Library.RESILIENCE4J_LOCK_FREE);
        assertThat(t.row("failsafeWithException", 1).orElseThrow().info().variant()).isEqualTo(Variant.WITH_EXCEPTION);
        assertThat(t.row("something", 1).orElseThrow().info().library()).isEqualTo(Library.OTHER);
        assertThat(t.row("resilience4jLockFreeBulkhead", 1).orElseThrow().perRecloser()).isEqualTo(2.0);
        assertThat(t.row("something", 1).orElseThrow().perBaseline()).isEqualTo(2.0);
    }

    @Test
    void aTableWithoutRecloserHasNoRecloserRatio() {
        ResultSet results = ResultSet.of(JmhResult.parse(Fixtures.file(List.of(
                Fixtures.avgt("X.baseline", Map.of(), 1, 1, 0, 1, 1, 0),
                Fixtures.avgt("X.failsafe", Map.of(), 1, 5, 0, 5, 5, 0))), "x"));
        Row failsafe = results.tables().get(0).row("failsafe", 1).orElseThrow();
        assertThat(failsafe.perRecloser()).isNaN();
        assertThat(failsafe.perBaseline()).isEqualTo(5.0);
    }

    @Test
    void oneClassMeasuringSeveralPathsByMethodNameGetsOneTableEach() {
        ResultSet results = ResultSet.of(JmhResult.parse(Fixtures.file(List.of(
                Fixtures.avgt("ReactorBenchmark.baselineNanoTime", Map.of(), 1, 20, 0, 20, 20, 0),
                Fixtures.avgt("ReactorBenchmark.fastFailBare", Map.of(), 1, 10, 0, 10, 10, 0),
                Fixtures.avgt("ReactorBenchmark.fastFailRecloser", Map.of(), 1, 40, 0, 40, 40, 0),
                Fixtures.avgt("ReactorBenchmark.fastFailResilience4j", Map.of(), 1, 400, 0, 400, 400, 0),
                Fixtures.avgt("ReactorBenchmark.monoBare", Map.of(), 1, 30, 0, 30, 30, 0),
                Fixtures.avgt("ReactorBenchmark.monoRecloser", Map.of(), 1, 60, 0, 60, 60, 0),
                Fixtures.avgt("ReactorBenchmark.monoResilience4j", Map.of(), 1, 90, 0, 90, 90, 0),
                Fixtures.avgt("ReactorBenchmark.monoResilience4jTransform", Map.of(), 1, 120, 0, 120, 120, 0))),
                "x"));
        List<Table> tables = results.tables();
        assertThat(tables).extracting(Table::title).containsExactly("fast fail", "mono");
        assertThat(tables).extracting(Table::shortTitle)
                .containsExactly("ReactorBenchmark, fast fail", "ReactorBenchmark, mono");
        Table mono = tables.get(1);
        assertThat(mono.rows()).extracting(Row::method).containsExactly(
                "monoBare", "baselineNanoTime", "monoRecloser", "monoResilience4j", "monoResilience4jTransform");
        assertThat(mono.row("baselineNanoTime", 1).orElseThrow().shared()).isTrue();
        assertThat(mono.row("monoBare", 1).orElseThrow().info().library()).isEqualTo(Library.BASELINE);
        assertThat(mono.row("monoResilience4jTransform", 1).orElseThrow().info().label())
                .isEqualTo("Resilience4j transform");
        assertThat(mono.row("monoResilience4j", 1).orElseThrow().perRecloser()).isEqualTo(1.5);
        assertThat(mono.row("monoRecloser", 1).orElseThrow().perBaseline()).isEqualTo(2.0);
        Table fastFail = tables.get(0);
        assertThat(fastFail.row("fastFailResilience4j", 1).orElseThrow().perRecloser()).isEqualTo(10.0);
        assertThat(fastFail.row("fastFailResilience4j", 1).orElseThrow().perBaseline()).isEqualTo(40.0);
        assertThat(fastFail.row("monoRecloser", 1)).isEmpty();
    }

    @Test
    void theReactorClassHasATablePerPathAndAStatelessPathIsNotRepeatedPerState() {
        List<String> rows = new ArrayList<>(Fixtures.reactor(1, 37, 31, 88));
        rows.add(Fixtures.avgt("ReactorBreakerBenchmark.monoRecloserTimed", Map.of(), 1, 72, 2, 70, 74, 88));
        rows.add(Fixtures.avgt("ReactorBreakerBenchmark.fastFailRecloser", Fixtures.state("FORCED_OPEN"), 1, 36, 1,
                35, 37, 56));
        ResultSet results = ResultSet.of(JmhResult.parse(Fixtures.file(rows), "x"));
        List<Table> reactor = results.tables("ReactorBreakerBenchmark", Map.of());
        // Mono has no state: one table, not one per state; the cost components have a table of their own.
        assertThat(reactor).extracting(Table::title).containsExactly(
                "Mono, closed breaker: `Mono.just(1)`",
                "Fast fail, open breaker, OPEN (tripped by failures, open wait not elapsed)",
                "Fast fail, open breaker, FORCED_OPEN",
                "Cost components (not operators)");
        assertThat(reactor).extracting(Table::shortTitle)
                .containsExactly("Mono", "fast fail, OPEN", "fast fail, FORCED_OPEN", "costs");

        Table mono = reactor.get(0);
        assertThat(mono.rows()).extracting(Row::method)
                .containsExactly("monoBare", "monoRecloser", "monoRecloserTimed", "monoResilience4j");
        assertThat(mono.rows()).noneMatch(Row::shared);
        // ÷ Recloser divides by the untimed row, ÷ baseline by Mono.just.
        assertThat(mono.row("monoRecloserTimed", 1).orElseThrow().perRecloser()).isCloseTo(72.0 / 31, within(1e-9));
        assertThat(mono.row("monoRecloser", 1).orElseThrow().perBaseline()).isCloseTo(31.0 / 14, within(1e-9));

        Table open = reactor.get(1);
        assertThat(open.rows()).extracting(Row::method)
                .containsExactly("fastFailBareFreshError", "fastFailBare", "fastFailRecloser");
        // ÷ baseline divides by the fresh error, the baseline of the fast-fail target, not the preallocated one.
        assertThat(open.row("fastFailRecloser", 1).orElseThrow().perBaseline()).isCloseTo(37.0 / 7, within(1e-9));
        assertThat(reactor.get(2).rows()).extracting(Row::method).containsExactly("fastFailRecloser");

        Table costs = reactor.get(3);
        assertThat(costs.rows()).extracting(Row::method).containsExactly("baselineNanoTime");
        assertThat(costs.row("baselineNanoTime", 1).orElseThrow().perRecloser()).isNaN();
    }

    @Test
    void theReactorAndWebClientClassesFollowTheCoreOnesWithTheirRatios() {
        List<String> rows = new ArrayList<>(Fixtures.run(2, 1));
        rows.addAll(Fixtures.webClient(103, 1, 64, 28_000));
        rows.addAll(Fixtures.reactor(2, 37, 130, 88));
        ResultSet results = ResultSet.of(JmhResult.parse(Fixtures.file(rows), "x"));
        assertThat(results.sections()).extracting(ResultSet.Section::className).containsExactly(
                "CoreBreakerBenchmark", "RejectionBenchmark", "RejectionLatencyBenchmark", "ReactorBreakerBenchmark",
                "ReactorFastFailLatencyBenchmark", "ReactorContentionBenchmark", "WebClientFilterBenchmark",
                "WebClientFastFailBenchmark");

        Table contention = results.tables("ReactorContentionBenchmark", Map.of()).get(0);
        assertThat(contention.shortTitle()).isEqualTo("Mono, one breaker shared vs one per thread");
        assertThat(contention.row("resilience4jShared", 2).orElseThrow().perRecloser()).isCloseTo(2.5, within(1e-9));
        assertThat(contention.row("recloserPerThread", 2).orElseThrow().perRecloser()).isCloseTo(0.25, within(1e-9));
        assertThat(contention.row("recloserShared", 2).orElseThrow().perBaseline()).isNaN();

        Table filter = results.tables("WebClientFilterBenchmark", Map.of()).get(0);
        Row withFilter = filter.row("withFilter", 1).orElseThrow();
        // µs/op in the JSON, ns/op in the report.
        assertThat(withFilter.result().score()).isCloseTo(103_000, within(1e-6));
        assertThat(withFilter.perBaseline()).isCloseTo(1.03, within(1e-9));
        assertThat(filter.row("withoutFilter", 1).orElseThrow().perRecloser()).isCloseTo(100.0 / 103, within(1e-9));

        Table fastFail = results.tables("WebClientFastFailBenchmark", Map.of()).get(0);
        assertThat(fastFail.isSampleTime()).isTrue();
        assertThat(fastFail.rows()).extracting(Row::method).containsExactly("bare", "recloser");
    }
}
