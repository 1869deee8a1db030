package dev.recloser.benchmarks.report;

import dev.recloser.benchmarks.report.Catalog.Family;
import dev.recloser.benchmarks.report.Catalog.Library;
import dev.recloser.benchmarks.report.Catalog.Variant;
import dev.recloser.benchmarks.report.ResultSet.Row;
import dev.recloser.benchmarks.report.ResultSet.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The report's charts, built from the grouped results. */
final class Charts {

    private Charts() {
    }

    /** File name of the latency chart of one thread count. */
    static String latencyFile(int threads) {
        return "latency-" + Fmt.threads(threads).replace(' ', '-') + ".svg";
    }

    /** File name of the allocation chart. */
    static String allocationFile() {
        return "allocation.svg";
    }

    /** File name of the Reactor operator's latency chart. */
    static String reactorLatencyFile() {
        return "reactor-latency.svg";
    }

    /** File name of the Reactor operator's allocation chart. */
    static String reactorAllocationFile() {
        return "reactor-allocation.svg";
    }

    /** The core charts show the breakers; the Reactor charts the bare rows too, which the Reactor targets are about. */
    private static final Predicate<Row> CORE_ROWS = r -> r.info().library().isBreaker();
    private static final Predicate<Row> REACTOR_ROWS = r -> r.info().library() != Library.COST;

    /**
     * Time per call of every breaker row (no baselines) of every average-time path of the core
     * classes at one thread count, log scale, with the 99.9% error as whiskers; no groups if the
     * core classes were not measured at that thread count.
     */
    static BarChart latency(ResultSet results, int threads, String context) {
        List<Table> tables = tables(results, Family.CORE);
        // One axis for every thread count, so that the charts compare side by side.
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int n : results.threadCounts()) {
            double[] extent = BarChart.extent(groups(tables, List.of(n), false, CORE_ROWS, Charts::latencyBar));
            min = Math.min(min, extent[0]);
            max = Math.max(max, extent[1]);
        }
        return new BarChart("Time per call, " + Fmt.threads(threads) + " (ns/op, lower is better)",
                "JMH average time; log scale; whiskers: 99.9% error" + context, "ns/op (log scale)",
                BarChart.Scale.LOG, groups(tables, List.of(threads), false, CORE_ROWS, Charts::latencyBar), min, max);
    }

    /** Allocation per call of every breaker row of every average-time path of the core classes at one thread count. */
    static BarChart allocation(ResultSet results, int threads, String context) {
        return new BarChart("Allocation per call, " + Fmt.threads(threads) + " (B/op, lower is better)",
                "JMH -prof gc, gc.alloc.rate.norm; 0 = allocation-free" + context, "B/op",
                BarChart.Scale.LINEAR, groups(tables(results, Family.CORE), List.of(threads), false,
                CORE_ROWS.and(Charts::hasAllocation), Charts::allocationBar), Double.NaN, Double.NaN);
    }

    /**
     * Time per subscription through the Reactor operator, one group per path and thread count
     * ("Mono, 2 threads"), the bare rows included, log scale.
     */
    static BarChart reactorLatency(ResultSet results, String context) {
        return new BarChart("Reactor operator: time per subscription (ns/op, lower is better)",
                "JMH average time; log scale; whiskers: 99.9% error" + context, "ns/op (log scale)",
                BarChart.Scale.LOG, groups(tables(results, Family.REACTOR), results.threadCounts(), true, REACTOR_ROWS,
                Charts::latencyBar), Double.NaN, Double.NaN);
    }

    /** Allocation per subscription through the Reactor operator, one group per path, at one thread count. */
    static BarChart reactorAllocation(ResultSet results, int threads, String context) {
        return new BarChart("Reactor operator: allocation per subscription, " + Fmt.threads(threads)
                + " (B/op, lower is better)",
                "JMH -prof gc, gc.alloc.rate.norm" + context, "B/op", BarChart.Scale.LINEAR,
                groups(tables(results, Family.REACTOR), List.of(threads), false, REACTOR_ROWS.and(Charts::hasAllocation),
                        Charts::allocationBar), Double.NaN, Double.NaN);
    }

    /** The average-time tables of the classes of one family. */
    private static List<Table> tables(ResultSet results, Family family) {
        return results.tables().stream()
                .filter(t -> !t.isSampleTime() && Catalog.classInfo(t.className()).family() == family)
                .toList();
    }

    private static boolean hasAllocation(Row r) {
        return !Double.isNaN(r.result().allocNorm());
    }

    private static BarChart.Bar latencyBar(Row r) {
        JmhResult j = r.result();
        return bar(j.score(), j.scoreError(), Fmt.value(j.score()) + " ns");
    }

    private static BarChart.Bar allocationBar(Row r) {
        double b = r.result().allocNorm();
        return bar(Math.round(b), Double.NaN, Fmt.bytes(b) + " B");
    }

    private static BarChart.Bar bar(double value, double error, String text) {
        return new BarChart.Bar(null, value, error, null, text, null, false);
    }

    /**
     * One group per table, thread count and variant (bare paths first, then the paths plus their
     * exception), one bar per row that {@code include} accepts; {@code titleThreads} adds the thread
     * count to the group titles.
     */
    private static List<BarChart.Group> groups(List<Table> tables, List<Integer> threadCounts, boolean titleThreads,
                                               Predicate<Row> include, Function<Row, BarChart.Bar> bar) {
        List<BarChart.Group> groups = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            for (Table table : tables) {
                for (int threads : threadCounts) {
                    List<Row> rows = table.rows(threads).stream()
                            .filter(row -> row.info().variant() == variant && include.test(row))
                            .toList();
                    List<String> labels = labels(rows);
                    List<BarChart.Bar> bars = new ArrayList<>();
                    for (int i = 0; i < rows.size(); i++) {
                        Row row = rows.get(i);
                        BarChart.Bar b = bar.apply(row);
                        bars.add(new BarChart.Bar(labels.get(i), b.value(), b.error(), row.info().library().color,
                                b.valueText(), tooltip(table, row), row.info().library() == Library.RECLOSER));
                    }
                    if (!bars.isEmpty()) {
                        String title = variant == Variant.BARE ? table.shortTitle()
                                : table.shortTitle() + ", plus the exception";
                        groups.add(new BarChart.Group(titleThreads ? title + ", " + Fmt.threads(threads) : title, bars));
                    }
                }
            }
        }
        return groups;
    }

    /**
     * Short labels of rows shown together: the library's name, followed by the method's name when
     * several of the rows have the same library ("Recloser (monoRecloser)", "Recloser
     * (monoRecloserTimed)").
     */
    static List<String> labels(List<Row> rows) {
        Map<String, Long> counts = rows.stream()
                .collect(Collectors.groupingBy(r -> r.info().library().displayName, Collectors.counting()));
        return rows.stream().map(r -> {
            String name = r.info().library().displayName;
            return counts.get(name) > 1 ? name + " (" + r.method() + ")" : name;
        }).toList();
    }

    private static String tooltip(Table table, Row row) {
        JmhResult r = row.result();
        return row.info().library().displayName + " (" + row.method() + "), " + table.shortTitle() + ", "
                + Fmt.threads(r.threads()) + ": " + Fmt.value(r.score()) + " " + Fmt.error(r.scoreError()) + " "
                + r.unit() + ", iterations " + Fmt.range(r.min(), r.max()) + ", " + Fmt.bytes(r.allocNorm()) + " B/op";
    }
}
