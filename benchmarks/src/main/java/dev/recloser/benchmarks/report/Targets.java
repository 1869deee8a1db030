package dev.recloser.benchmarks.report;

import dev.recloser.benchmarks.report.ResultSet.Row;
import dev.recloser.benchmarks.report.ResultSet.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Recloser's performance targets, evaluated on the data: each one names the rows it is about and
 * a limit, and the report prints the figure and whether the limit is met.
 */
final class Targets {

    private Targets() {
    }

    /** What a target compares with its limit. */
    enum Kind {
        /** The row's time ≤ limit (ns/op). */
        TIME_AT_MOST,
        /** The row's {@code gc.alloc.rate.norm} ≤ limit (B/op). */
        ALLOC_AT_MOST,
        /** The peer row's time ÷ the row's time ≥ limit. */
        SPEEDUP_AT_LEAST
    }

    /**
     * One target.
     *
     * @param text        how the report states it
     * @param className   the benchmark class
     * @param method      the method measured (Recloser's)
     * @param params      the parameter values it is about; a missing key means every value
     * @param threads     the thread counts it is about; empty means every one measured
     * @param kind        what is compared
     * @param limit       the limit
     * @param peerMethod  for {@link Kind#SPEEDUP_AT_LEAST}: the method Recloser is compared with
     */
    record Target(String text, String className, String method, Map<String, String> params, Set<Integer> threads,
                  Kind kind, double limit, String peerMethod) {
    }

    /**
     * Below this, {@code gc.alloc.rate.norm} is JMH's own noise (≈ 10⁻⁴ B/op on an allocation-free
     * path), not an allocation: the smallest object is 16 B, and even one per hundred calls is 0.16 B/op.
     */
    static final double ZERO_ALLOCATION = 0.01;

    /** Recloser's targets. */
    static final List<Target> TARGETS = List.of(
            new Target("closed path ≤ 20 ns at 1 thread, count window (default config)",
                    "CoreBreakerBenchmark", "recloser", Map.of("window", "COUNT"), Set.of(1),
                    Kind.TIME_AT_MOST, 20, null),
            new Target("closed path ≤ 20 ns at 1 thread, time window",
                    "CoreBreakerBenchmark", "recloser", Map.of("window", "TIME"), Set.of(1),
                    Kind.TIME_AT_MOST, 20, null),
            new Target("closed path 0 B/op at 1 thread",
                    "CoreBreakerBenchmark", "recloser", Map.of(), Set.of(1),
                    Kind.ALLOC_AT_MOST, ZERO_ALLOCATION, null),
            new Target("closed path at 2 threads ≥ 2× faster than Resilience4j `SYNCHRONIZED`, count window",
                    "CoreBreakerBenchmark", "recloser", Map.of("window", "COUNT"), Set.of(2),
                    Kind.SPEEDUP_AT_LEAST, 2, "resilience4jSynchronized"),
            new Target("same, time window",
                    "CoreBreakerBenchmark", "recloser", Map.of("window", "TIME"), Set.of(2),
                    Kind.SPEEDUP_AT_LEAST, 2, "resilience4jSynchronized"),
            new Target("rejection ≤ 5 ns (`tryAcquirePermit()` → `NO_PERMIT`)",
                    "RejectionBenchmark", "recloser", Map.of(), Set.of(),
                    Kind.TIME_AT_MOST, 5, null),
            new Target("rejection 0 B/op",
                    "RejectionBenchmark", "recloser", Map.of(), Set.of(),
                    Kind.ALLOC_AT_MOST, ZERO_ALLOCATION, null));

    /**
     * One measured case of a target.
     *
     * @param path     the parameter values that distinguish it from the target's other cases ("OPEN"); may be empty
     * @param threads  its thread count
     * @param row      Recloser's row
     * @param peer     the peer's row, for a speedup
     * @param value    the figure compared with the limit
     * @param low      the least favourable figure within the 99.9% errors (NaN if not applicable)
     * @param high     the most favourable one
     * @param met      whether the figure meets the limit
     */
    record Case(String path, int threads, Row row, Row peer, double value, double low, double high, boolean met) {

        /** Path and thread count, for a verdict that names the cases that fail. */
        String label() {
            return path.isEmpty() ? Fmt.threads(threads) : path + " at " + Fmt.threads(threads);
        }
    }

    /**
     * A target evaluated.
     *
     * @param target   the target
     * @param cases    one per row it is about; empty if none was measured
     * @param figure   the figures, as the report prints them
     * @param verdict  "met", "not met", or "no data", with a qualification when the errors straddle the limit
     */
    record Outcome(Target target, List<Case> cases, String figure, String verdict) {

        boolean met() {
            return !cases.isEmpty() && cases.stream().allMatch(Case::met);
        }
    }

    static List<Outcome> evaluate(ResultSet results) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Target t : TARGETS) {
            outcomes.add(evaluate(t, results));
        }
        return outcomes;
    }

    static Outcome evaluate(Target t, ResultSet results) {
        List<Table> tables = results.tables(t.className(), t.params()).stream()
                .filter(table -> !table.isSampleTime())
                .toList();
        Set<Integer> threads = new TreeSet<>(t.threads());
        if (threads.isEmpty()) {
            tables.forEach(table -> threads.addAll(table.threadCounts()));
        }
        List<Case> cases = new ArrayList<>();
        for (int n : threads) {
            for (Table table : tables) {
                table.row(t.method(), n).map(row -> measure(t, table, row, n, path(t, table, tables.size())))
                        .ifPresent(cases::add);
            }
        }
        if (cases.isEmpty()) {
            return new Outcome(t, cases, "not measured in these results", "no data");
        }
        boolean met = cases.stream().allMatch(Case::met);
        StringBuilder verdict = new StringBuilder(met ? "**met**" : "**not met**");
        boolean severalThreadCounts = cases.stream().map(Case::threads).distinct().count() > 1;
        if (!met && cases.stream().anyMatch(Case::met)) {
            verdict.append(" for ").append(cases.stream().filter(c -> !c.met()).map(c -> caseName(c, severalThreadCounts))
                    .collect(Collectors.joining(", ")));
        }
        List<String> uncertainties = cases.stream().map(c -> uncertainty(t, c, severalThreadCounts))
                .filter(Objects::nonNull).toList();
        if (!uncertainties.isEmpty()) {
            verdict.append("; not beyond the 99.9% error: ").append(String.join("; ", uncertainties));
        }
        return new Outcome(t, cases, figure(t, cases, severalThreadCounts), verdict.toString());
    }

    private static String caseName(Case c, boolean withThreads) {
        return withThreads ? c.label() : c.path();
    }

    /** The values of the parameters the target leaves open, if it spans several tables. */
    private static String path(Target t, Table table, int tableCount) {
        if (tableCount <= 1) {
            return "";
        }
        Map<String, String> own = new LinkedHashMap<>(table.params());
        own.keySet().removeAll(t.params().keySet());
        return String.join(", ", own.values());
    }

    private static Case measure(Target t, Table table, Row row, int threads, String path) {
        JmhResult r = row.result();
        switch (t.kind()) {
            case TIME_AT_MOST -> {
                double low = r.score() - r.scoreError();
                double high = r.score() + r.scoreError();
                return new Case(path, threads, row, null, r.score(), low, high, r.score() <= t.limit());
            }
            case ALLOC_AT_MOST -> {
                if (Double.isNaN(r.allocNorm())) {
                    return null;
                }
                return new Case(path, threads, row, null, r.allocNorm(), Double.NaN, Double.NaN,
                        r.allocNorm() <= t.limit());
            }
            case SPEEDUP_AT_LEAST -> {
                Optional<Row> peer = table.row(t.peerMethod(), threads);
                if (peer.isEmpty()) {
                    return null;
                }
                JmhResult p = peer.get().result();
                double ratio = p.score() / r.score();
                double worst = (p.score() - p.scoreError()) / (r.score() + r.scoreError());
                double best = r.score() > r.scoreError() ? (p.score() + p.scoreError()) / (r.score() - r.scoreError())
                        : Double.POSITIVE_INFINITY;
                return new Case(path, threads, row, peer.get(), ratio, worst, best, ratio >= t.limit());
            }
            default -> throw new IllegalStateException(t.kind().toString());
        }
    }

    /** A note when the limit lies within the 99.9% errors of a case, or null. */
    private static String uncertainty(Target t, Case c, boolean withThreads) {
        if (Double.isNaN(c.low()) || Double.isNaN(c.high())) {
            return null;
        }
        String name = caseName(c, withThreads);
        String prefix = name.isEmpty() ? "" : name + " ";
        switch (t.kind()) {
            case TIME_AT_MOST -> {
                boolean straddles = c.low() <= t.limit() && c.high() > t.limit();
                return straddles ? prefix + Fmt.range(Math.max(0, c.low()), c.high()) + " ns" : null;
            }
            case SPEEDUP_AT_LEAST -> {
                boolean straddles = c.low() < t.limit() && c.high() >= t.limit();
                return straddles ? prefix + "ratio " + ratioRange(c.low(), c.high()) : null;
            }
            default -> {
                return null;
            }
        }
    }

    private static String ratioRange(double low, double high) {
        return Fmt.ratio(Math.max(0, low)) + "–" + (Double.isInfinite(high) ? "∞" : Fmt.ratio(high)) + "×";
    }

    /** "1 thread: OPEN 26.5 ns, FORCED_OPEN 8.7 ns; 2 threads: ..." (thread counts only if several). */
    private static String figure(Target t, List<Case> cases, boolean severalThreadCounts) {
        Map<Integer, List<String>> byThreads = new LinkedHashMap<>();
        for (Case c : cases) {
            byThreads.computeIfAbsent(c.threads(), n -> new ArrayList<>()).add(caseFigure(t, c));
        }
        List<String> parts = new ArrayList<>();
        byThreads.forEach((n, figures) ->
                parts.add((severalThreadCounts ? Fmt.threads(n) + ": " : "") + String.join(", ", figures)));
        String figure = String.join("; ", parts);
        if (t.kind() == Kind.ALLOC_AT_MOST) {
            double largest = cases.stream().mapToDouble(Case::value).max().orElse(Double.NaN);
            figure += " (largest gc.alloc.rate.norm: " + Fmt.small(largest) + " B/op; up to " + Fmt.small(t.limit())
                    + " B/op counts as 0, JMH's own noise)";
        }
        return figure;
    }

    private static String caseFigure(Target t, Case c) {
        JmhResult r = c.row().result();
        String prefix = c.path().isEmpty() ? "" : c.path() + " ";
        return switch (t.kind()) {
            case TIME_AT_MOST -> prefix + Fmt.value(r.score()) + " ns" + spread(r);
            case ALLOC_AT_MOST -> prefix + Fmt.bytes(c.value()) + " B/op";
            case SPEEDUP_AT_LEAST -> {
                JmhResult p = c.peer().result();
                yield prefix + Fmt.value(r.score()) + " ns vs " + Fmt.value(p.score()) + " ns = " + Fmt.ratio(c.value())
                        + "× (iterations: Recloser " + Fmt.range(r.min(), r.max()) + " ns, "
                        + c.peer().info().library().displayName + " " + Fmt.range(p.min(), p.max()) + " ns)";
            }
        };
    }

    /** The iterations' range, when the error is more than a tenth of the figure. */
    private static String spread(JmhResult r) {
        if (Double.isNaN(r.min()) || Double.isNaN(r.scoreError()) || r.scoreError() <= 0.1 * r.score()) {
            return "";
        }
        return " (iterations " + Fmt.range(r.min(), r.max()) + ")";
    }
}
