package dev.recloser.benchmarks.report;

import dev.recloser.benchmarks.report.ResultSet.Row;
import dev.recloser.benchmarks.report.ResultSet.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /** How a figure is held against its limit. */
    enum Bound {
        AT_MOST,
        BELOW,
        AT_LEAST;

        boolean meets(double value, double limit) {
            return switch (this) {
                case AT_MOST -> value <= limit;
                case BELOW -> value < limit;
                case AT_LEAST -> value >= limit;
            };
        }
    }

    /** What a target compares with its limit. */
    enum Kind {
        /** The row's time ≤ limit (ns/op). */
        TIME_AT_MOST(Bound.AT_MOST, false),
        /** The row's {@code gc.alloc.rate.norm} ≤ limit (B/op). */
        ALLOC_AT_MOST(Bound.AT_MOST, false),
        /** The peer row's time ÷ the row's time ≥ limit: the row is that many times faster. */
        SPEEDUP_AT_LEAST(Bound.AT_LEAST, true),
        /** The row's time ÷ the peer row's time ≤ limit. */
        TIME_RATIO_AT_MOST(Bound.AT_MOST, true),
        /** The row's time − the peer row's time ≤ limit (ns/op). */
        TIME_OVER_PEER_AT_MOST(Bound.AT_MOST, true),
        /** The row's {@code gc.alloc.rate.norm} − the peer row's ≤ limit (B/op). */
        ALLOC_OVER_PEER_AT_MOST(Bound.AT_MOST, true),
        /** The row's time ÷ the peer row's time − 1 &lt; limit (a fraction: 0.03 is 3%). */
        OVERHEAD_BELOW(Bound.BELOW, true),
        /**
         * The row's {@link Target#percentile} &lt; limit (ns), in a {@code Mode.SampleTime} table;
         * the peer row, if any, is quoted for comparison.
         */
        PERCENTILE_BELOW(Bound.BELOW, false);

        final Bound bound;
        /** Whether the target cannot be evaluated without its peer row. */
        final boolean needsPeer;

        Kind(Bound bound, boolean needsPeer) {
            this.bound = bound;
            this.needsPeer = needsPeer;
        }

        /** Whether the target is about the single calls of a {@code Mode.SampleTime} benchmark. */
        boolean sampled() {
            return this == PERCENTILE_BELOW;
        }
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
     * @param peerMethod  the method of the same table Recloser's row is compared with, or null
     * @param percentile  for {@link Kind#PERCENTILE_BELOW}: which one, 0..100 (JMH's keys: 99.0); else NaN
     */
    record Target(String text, String className, String method, Map<String, String> params, Set<Integer> threads,
                  Kind kind, double limit, String peerMethod, double percentile) {

        /** A target that is not about a percentile. */
        Target(String text, String className, String method, Map<String, String> params, Set<Integer> threads,
               Kind kind, double limit, String peerMethod) {
            this(text, className, method, params, threads, kind, limit, peerMethod, Double.NaN);
        }
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
                    Kind.ALLOC_AT_MOST, ZERO_ALLOCATION, null),
            new Target("Reactor fast fail ≤ 1.5× a bare `Mono.error` of a fresh error "
                    + "(`fastFailRecloser` ÷ `fastFailBareFreshError`)",
                    "ReactorBreakerBenchmark", "fastFailRecloser", Map.of(), Set.of(),
                    Kind.TIME_RATIO_AT_MOST, 1.5, "fastFailBareFreshError"),
            new Target("Reactor closed path ≤ bare `Mono.just(1)` + 25 ns at 1 thread (`monoRecloser` − `monoBare`)",
                    "ReactorBreakerBenchmark", "monoRecloser", Map.of(), Set.of(1),
                    Kind.TIME_OVER_PEER_AT_MOST, 25, "monoBare"),
            new Target("Reactor closed path ≤ bare `Mono.just(1)` + 40 B/op at 1 thread",
                    "ReactorBreakerBenchmark", "monoRecloser", Map.of(), Set.of(1),
                    Kind.ALLOC_OVER_PEER_AT_MOST, 40, "monoBare"),
            new Target("Reactor closed path at 2 threads ≥ 4× faster than Resilience4j (`monoRecloser` vs "
                    + "`monoResilience4j` of `ReactorBreakerBenchmark`: one breaker shared by both threads)",
                    "ReactorBreakerBenchmark", "monoRecloser", Map.of(), Set.of(2),
                    Kind.SPEEDUP_AT_LEAST, 4, "monoResilience4j"),
            new Target("WebClient filter overhead < 3% on a healthy loopback call (`withFilter` ÷ `withoutFilter` − 1)",
                    "WebClientFilterBenchmark", "withFilter", Map.of(), Set.of(),
                    Kind.OVERHEAD_BELOW, 0.03, "withoutFilter"),
            new Target("WebClient fast fail p99 < 50 µs at 64 threads (`WebClientFastFailBenchmark.recloser`, "
                    + "`Mode.SampleTime`)",
                    "WebClientFastFailBenchmark", "recloser", Map.of(), Set.of(64),
                    Kind.PERCENTILE_BELOW, 50_000, "bare", 99.0));

    /**
     * One measured case of a target.
     *
     * @param path     the parameter values that distinguish it from the target's other cases ("OPEN"); may be empty
     * @param threads  its thread count
     * @param row      Recloser's row
     * @param peer     the peer's row, if the target has one and it was measured
     * @param value    the figure compared with the limit
     * @param low      the smallest figure within the 99.9% errors of the rows (NaN if not applicable)
     * @param high     the largest one (may be infinite for a quotient)
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
                .filter(table -> table.isSampleTime() == t.kind().sampled())
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

    /** Recloser's row of one table held against the target; null if a figure it needs was not measured. */
    private static Case measure(Target t, Table table, Row row, int threads, String path) {
        JmhResult r = row.result();
        Row peer = t.peerMethod() == null ? null : table.row(t.peerMethod(), threads).orElse(null);
        if (t.kind().needsPeer && peer == null) {
            return null;
        }
        JmhResult p = peer == null ? null : peer.result();
        double[] figure = switch (t.kind()) {
            case TIME_AT_MOST -> new double[] {r.score(), r.score() - r.scoreError(), r.score() + r.scoreError()};
            case ALLOC_AT_MOST -> new double[] {r.allocNorm(), Double.NaN, Double.NaN};
            case SPEEDUP_AT_LEAST -> quotient(p, r);
            case TIME_RATIO_AT_MOST -> quotient(r, p);
            case OVERHEAD_BELOW -> {
                double[] q = quotient(r, p);
                yield new double[] {q[0] - 1, q[1] - 1, q[2] - 1};
            }
            case TIME_OVER_PEER_AT_MOST -> new double[] {r.score() - p.score(),
                    r.score() - r.scoreError() - (p.score() + p.scoreError()),
                    r.score() + r.scoreError() - (p.score() - p.scoreError())};
            case ALLOC_OVER_PEER_AT_MOST -> new double[] {r.allocNorm() - p.allocNorm(), Double.NaN, Double.NaN};
            // JMH gives no error for a percentile.
            case PERCENTILE_BELOW -> new double[] {r.percentile(t.percentile()), Double.NaN, Double.NaN};
        };
        if (Double.isNaN(figure[0])) {
            return null;
        }
        // A difference of two allocation figures carries both rows' JMH noise (~10^-4 B/op each):
        // +40.0003 B/op is +40 B/op, so such a limit is met up to ZERO_ALLOCATION above it.
        double limit = t.kind() == Kind.ALLOC_OVER_PEER_AT_MOST ? t.limit() + ZERO_ALLOCATION : t.limit();
        return new Case(path, threads, row, peer, figure[0], figure[1], figure[2],
                t.kind().bound.meets(figure[0], limit));
    }

    /**
     * {@code a ÷ b} and its least and greatest values within both rows' 99.9% errors (the greatest
     * is infinite when {@code b}'s error reaches zero).
     */
    private static double[] quotient(JmhResult a, JmhResult b) {
        double low = (a.score() - a.scoreError()) / (b.score() + b.scoreError());
        double high = b.score() > b.scoreError() ? (a.score() + a.scoreError()) / (b.score() - b.scoreError())
                : Double.POSITIVE_INFINITY;
        return new double[] {a.score() / b.score(), low, high};
    }

    /** A note when the limit lies within the 99.9% errors of a case (the verdict could go either way), or null. */
    private static String uncertainty(Target t, Case c, boolean withThreads) {
        if (Double.isNaN(c.low()) || Double.isNaN(c.high())
                || t.kind().bound.meets(c.low(), t.limit()) == t.kind().bound.meets(c.high(), t.limit())) {
            return null;
        }
        String name = caseName(c, withThreads);
        String prefix = name.isEmpty() ? "" : name + " ";
        return prefix + switch (t.kind()) {
            case TIME_AT_MOST -> Fmt.range(Math.max(0, c.low()), c.high()) + " ns";
            case TIME_OVER_PEER_AT_MOST -> "difference " + Fmt.signed(c.low()) + " to " + Fmt.signed(c.high()) + " ns";
            case OVERHEAD_BELOW -> "overhead " + Fmt.percent(c.low()) + " to "
                    + (Double.isInfinite(c.high()) ? "∞" : Fmt.percent(c.high()));
            default -> "ratio " + ratioRange(c.low(), c.high());
        };
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
        return prefix + switch (t.kind()) {
            case TIME_AT_MOST -> Fmt.value(r.score()) + " ns" + spread(r);
            case ALLOC_AT_MOST -> Fmt.bytes(c.value()) + " B/op";
            case SPEEDUP_AT_LEAST, TIME_RATIO_AT_MOST -> versus(c, Fmt.ratio(c.value()) + "×");
            case TIME_OVER_PEER_AT_MOST -> versus(c, Fmt.signed(c.value()) + " ns");
            case OVERHEAD_BELOW -> versus(c, Fmt.percent(c.value()));
            case ALLOC_OVER_PEER_AT_MOST -> Fmt.bytes(r.allocNorm()) + " B/op vs " + Fmt.bytes(c.peer().result().allocNorm())
                    + " B/op = " + (c.value() >= 0 ? "+" : "") + Fmt.bytes(c.value()) + " B/op";
            case PERCENTILE_BELOW -> percentileName(t.percentile()) + " " + Fmt.value(c.value()) + " ns"
                    + (c.peer() == null ? "" : " (`" + c.peer().method() + "`: "
                    + Fmt.value(c.peer().result().percentile(t.percentile())) + " ns)");
        };
    }

    /** "30.8 ns vs 13.7 ns = {result} (iterations: Recloser 29.7–31.8 ns, bare baseline 13.6–13.9 ns)". */
    private static String versus(Case c, String result) {
        JmhResult r = c.row().result();
        JmhResult p = c.peer().result();
        return Fmt.value(r.score()) + " ns vs " + Fmt.value(p.score()) + " ns = " + result
                + " (iterations: " + c.row().info().library().displayName + " " + Fmt.range(r.min(), r.max()) + " ns, "
                + c.peer().info().library().displayName + " " + Fmt.range(p.min(), p.max()) + " ns)";
    }

    /** 99.0 → "p99", 99.9 → "p99.9". */
    static String percentileName(double p) {
        return "p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p));
    }

    /** The iterations' range, when the error is more than a tenth of the figure. */
    private static String spread(JmhResult r) {
        if (Double.isNaN(r.min()) || Double.isNaN(r.scoreError()) || r.scoreError() <= 0.1 * r.score()) {
            return "";
        }
        return " (iterations " + Fmt.range(r.min(), r.max()) + ")";
    }
}
