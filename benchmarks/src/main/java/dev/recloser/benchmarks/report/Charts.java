package dev.recloser.benchmarks.report;

import dev.recloser.benchmarks.report.Catalog.Variant;
import dev.recloser.benchmarks.report.ResultSet.Row;
import dev.recloser.benchmarks.report.ResultSet.Table;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

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

    /**
     * Time per call of every breaker row (no baselines) of every average-time path at one thread
     * count, log scale, with the 99.9% error as whiskers.
     */
    static BarChart latency(ResultSet results, int threads, String context) {
        // One axis for every thread count, so that the charts compare side by side.
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int n : results.threadCounts()) {
            double[] extent = BarChart.extent(latencyGroups(results, n));
            min = Math.min(min, extent[0]);
            max = Math.max(max, extent[1]);
        }
        return new BarChart("Time per call, " + Fmt.threads(threads) + " (ns/op, lower is better)",
                "JMH average time; log scale; whiskers: 99.9% error" + context, "ns/op (log scale)",
                BarChart.Scale.LOG, latencyGroups(results, threads), min, max);
    }

    private static List<BarChart.Group> latencyGroups(ResultSet results, int threads) {
        return groups(results, threads, r -> true, r -> {
            JmhResult j = r.result();
            return bar(j.score(), j.scoreError(), Fmt.value(j.score()) + " ns");
        });
    }

    private static BarChart.Bar bar(double value, double error, String text) {
        return new BarChart.Bar(null, value, error, null, text, null, false);
    }

    /** Allocation per call of every breaker row of every average-time path at one thread count, linear scale. */
    static BarChart allocation(ResultSet results, int threads, String context) {
        List<BarChart.Group> groups = groups(results, threads, r -> !Double.isNaN(r.result().allocNorm()), r -> {
            double b = r.result().allocNorm();
            return bar(Math.round(b), Double.NaN, Fmt.bytes(b) + " B");
        });
        return new BarChart("Allocation per call, " + Fmt.threads(threads) + " (B/op, lower is better)",
                "JMH -prof gc, gc.alloc.rate.norm; 0 = allocation-free" + context, "B/op",
                BarChart.Scale.LINEAR, groups, Double.NaN, Double.NaN);
    }

    /**
     * One group per average-time path and variant (bare paths first, then the paths plus their
     * exception), one bar per breaker row.
     */
    private static List<BarChart.Group> groups(ResultSet results, int threads,
                                               Predicate<Row> include,
                                               Function<Row, BarChart.Bar> bar) {
        List<BarChart.Group> groups = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            for (Table table : results.tables()) {
                if (table.isSampleTime()) {
                    continue;
                }
                List<BarChart.Bar> bars = new ArrayList<>();
                Set<String> labels = new HashSet<>();
                for (Row row : table.rows(threads)) {
                    if (!row.info().library().isBreaker() || row.info().variant() != variant || !include.test(row)) {
                        continue;
                    }
                    BarChart.Bar b = bar.apply(row);
                    String label = row.info().library().displayName;
                    if (!labels.add(label)) {
                        label += " (" + row.method() + ")";
                    }
                    bars.add(new BarChart.Bar(label, b.value(), b.error(), row.info().library().color, b.valueText(),
                            tooltip(table, row), row.info().library() == Catalog.Library.RECLOSER));
                }
                if (!bars.isEmpty()) {
                    String title = variant == Variant.BARE ? table.shortTitle() : table.shortTitle() + ", plus the exception";
                    groups.add(new BarChart.Group(title, bars));
                }
            }
        }
        return groups;
    }

    private static String tooltip(Table table, Row row) {
        JmhResult r = row.result();
        return row.info().library().displayName + " (" + row.method() + "), " + table.shortTitle() + ", "
                + Fmt.threads(r.threads()) + ": " + Fmt.value(r.score()) + " " + Fmt.error(r.scoreError()) + " "
                + r.unit() + ", iterations " + Fmt.range(r.min(), r.max()) + ", " + Fmt.bytes(r.allocNorm()) + " B/op";
    }
}
