package dev.recloser.benchmarks.report;

import dev.recloser.benchmarks.report.Catalog.ClassInfo;
import dev.recloser.benchmarks.report.Catalog.MethodInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * JMH results grouped the way the report shows them: one {@link Section} per benchmark class (and
 * mode), one {@link Table} per "path" (a combination of {@code @Param} values), and in each table
 * one {@link Row} per method and thread count, with its ratios to Recloser's row and to the bare
 * baseline's row of the same table and thread count.
 *
 * <p>A method without a parameter its class's other methods have (e.g. {@code baselineNanoTime},
 * which does not use the {@code state}) is measured once but belongs to every path: it appears in
 * each table, marked {@linkplain Row#shared() shared}.
 */
final class ResultSet {

    /**
     * One row of a table.
     *
     * @param result       the measurement
     * @param info         what it measures
     * @param perRecloser  score ÷ the score of Recloser's reference row; NaN if the table has none
     * @param perBaseline  score ÷ the score of the bare baseline; NaN if the table has none
     * @param shared       measured once for several tables (it lacks one of the table's parameters)
     */
    record Row(JmhResult result, MethodInfo info, double perRecloser, double perBaseline, boolean shared) {

        int threads() {
            return result.threads();
        }

        String method() {
            return result.method();
        }
    }

    /**
     * One path: a class, a mode and a combination of parameter values.
     *
     * @param className   the benchmark class
     * @param mode        JMH mode
     * @param params      the parameter values that define the path
     * @param title       subsection title (empty if the class has no parameters)
     * @param shortTitle  chart group title
     * @param rows        sorted by thread count, then by the catalog's method order
     */
    record Table(String className, String mode, Map<String, String> params, String title, String shortTitle,
                 List<Row> rows) {

        /** The thread counts present, ascending. */
        List<Integer> threadCounts() {
            return rows.stream().map(Row::threads).distinct().sorted().toList();
        }

        List<Row> rows(int threads) {
            return rows.stream().filter(r -> r.threads() == threads).toList();
        }

        Optional<Row> row(String method, int threads) {
            return rows.stream().filter(r -> r.threads() == threads && r.method().equals(method)).findFirst();
        }

        /** Recloser's bare row at that thread count, the denominator of "÷ Recloser". */
        Optional<Row> recloser(int threads) {
            return rows.stream().filter(r -> r.threads() == threads && r.info().isRecloserReference()).findFirst();
        }

        boolean isSampleTime() {
            return "sample".equals(mode);
        }
    }

    /** One benchmark class in one mode. */
    record Section(String className, String mode, ClassInfo info, List<Table> tables) {
    }

    /** The catalog's order for known methods, then baseline, cost components, Recloser, peers; then the name. */
    private static final Comparator<MethodInfo> METHOD_ORDER = Comparator
            .comparingInt((MethodInfo m) -> Catalog.methodOrder(m.className(), m.method()))
            .thenComparing(MethodInfo::library)
            .thenComparing(MethodInfo::variant)
            .thenComparing(MethodInfo::method);

    private static final Comparator<Row> ROW_ORDER = Comparator.comparing(Row::info, METHOD_ORDER);

    private final List<JmhResult> results;
    private final List<Section> sections;

    private ResultSet(List<JmhResult> results, List<Section> sections) {
        this.results = results;
        this.sections = sections;
    }

    /** Groups results; a later result with the same identity as an earlier one replaces it (warned). */
    static ResultSet of(List<JmhResult> all, Consumer<String> warnings) {
        Map<String, JmhResult> unique = new LinkedHashMap<>();
        for (JmhResult r : all) {
            String id = r.benchmark() + " " + r.mode() + " " + r.params() + " t" + r.threads();
            JmhResult previous = unique.put(id, r);
            if (previous != null) {
                warnings.accept("duplicate result " + id + " in " + previous.source() + " and " + r.source()
                        + ": using " + r.source());
            }
        }
        List<JmhResult> results = List.copyOf(unique.values());

        Map<String, List<JmhResult>> byClassAndMode = new TreeMap<>(Comparator
                .comparing((String k) -> Catalog.classOrder(k.substring(0, k.indexOf(' '))))
                .thenComparing(Comparator.naturalOrder()));
        for (JmhResult r : results) {
            byClassAndMode.computeIfAbsent(r.className() + " " + modeOrder(r.mode()) + r.mode(),
                    k -> new ArrayList<>()).add(r);
        }
        List<Section> sections = new ArrayList<>();
        for (List<JmhResult> group : byClassAndMode.values()) {
            sections.add(section(group));
        }
        return new ResultSet(results, List.copyOf(sections));
    }

    static ResultSet of(List<JmhResult> all) {
        return of(all, w -> { });
    }

    List<JmhResult> results() {
        return results;
    }

    List<Section> sections() {
        return sections;
    }

    /** Every table of every section, in report order. */
    List<Table> tables() {
        return sections.stream().flatMap(s -> s.tables().stream()).toList();
    }

    /** Every thread count measured, ascending. */
    List<Integer> threadCounts() {
        return results.stream().map(JmhResult::threads).distinct().sorted().toList();
    }

    /** The tables of a class whose parameters include every entry of {@code params}. */
    List<Table> tables(String className, Map<String, String> params) {
        return tables().stream()
                .filter(t -> t.className().equals(className))
                .filter(t -> t.params().entrySet().containsAll(params.entrySet()))
                .toList();
    }

    private static String modeOrder(String mode) {
        return switch (mode) {
            case "avgt" -> "1";
            case "thrpt" -> "2";
            case "sample" -> "3";
            default -> "4";
        };
    }

    /**
     * One class in one mode. A class that tells several paths apart by method name
     * ({@link MethodInfo#path}) gets a table per method path and, within it, per combination of the
     * parameters that path's methods have: so {@code monoRecloser}, which has no {@code state}, is
     * one table, and {@code fastFailRecloser} one per {@code state}.
     */
    private static Section section(List<JmhResult> group) {
        String className = group.get(0).className();
        String mode = group.get(0).mode();
        ClassInfo info = Catalog.classInfo(className);
        List<String> methodPaths = group.stream()
                .map(r -> Catalog.method(className, r.method()))
                .sorted(METHOD_ORDER)
                .map(MethodInfo::path)
                .filter(p -> !p.isEmpty()).distinct().toList();
        List<Table> tables = new ArrayList<>();
        if (methodPaths.isEmpty()) {
            tables.addAll(paramTables(className, mode, info, "", group));
        }
        for (String methodPath : methodPaths) {
            // A method without a path belongs to every path.
            List<JmhResult> members = group.stream()
                    .filter(r -> {
                        String own = Catalog.method(className, r.method()).path();
                        return own.equals(methodPath) || own.isEmpty();
                    })
                    .toList();
            tables.addAll(paramTables(className, mode, info, methodPath, members));
        }
        return new Section(className, mode, info, List.copyOf(tables));
    }

    /** One table per combination of parameter values among {@code group}, the results of one method path. */
    private static List<Table> paramTables(String className, String mode, ClassInfo info, String methodPath,
                                           List<JmhResult> group) {
        Set<String> keys = new TreeSet<>();
        group.forEach(r -> keys.addAll(r.params().keySet()));
        List<Map<String, String>> paths = new ArrayList<>();
        for (JmhResult r : group) {
            if (r.params().keySet().equals(keys) && !paths.contains(r.params())) {
                paths.add(r.params());
            }
        }
        if (paths.isEmpty()) {
            // No result carries every key: treat each distinct combination as its own path.
            group.stream().map(JmhResult::params).distinct().forEach(paths::add);
        }
        List<String> valueOrder = Catalog.paramOrder(className);
        paths.sort(Comparator.comparing((Map<String, String> p) -> orderKey(p, valueOrder)));

        List<Table> tables = new ArrayList<>();
        for (Map<String, String> path : paths) {
            List<JmhResult> members = new ArrayList<>();
            List<Boolean> shared = new ArrayList<>();
            for (JmhResult r : group) {
                boolean pathless = !methodPath.isEmpty() && Catalog.method(className, r.method()).path().isEmpty();
                if (r.params().equals(path)) {
                    members.add(r);
                    shared.add(pathless);
                } else if (!r.params().keySet().equals(path.keySet())
                        && path.entrySet().containsAll(r.params().entrySet())) {
                    members.add(r);
                    shared.add(true);
                }
            }
            tables.add(table(className, mode, info, path, methodPath, members, shared));
        }
        return tables;
    }

    private static String orderKey(Map<String, String> params, List<String> valueOrder) {
        StringBuilder sb = new StringBuilder();
        for (String value : params.values()) {
            int i = valueOrder.indexOf(value);
            sb.append(i < 0 ? "~" + value : String.format(Locale.ROOT, "%04d", i)).append('\u0000');
        }
        return sb.toString();
    }

    private static Table table(String className, String mode, ClassInfo info, Map<String, String> path,
                               String methodPath, List<JmhResult> members, List<Boolean> sharedFlags) {
        List<String> titles = new ArrayList<>();
        List<String> shortTitles = new ArrayList<>();
        if (!methodPath.isEmpty()) {
            titles.add(info.paramTitles().getOrDefault(methodPath, Catalog.words(methodPath)));
            shortTitles.add(info.chartTitles().getOrDefault(methodPath, Catalog.words(methodPath)));
        }
        path.forEach((key, value) -> {
            titles.add(info.paramTitles().getOrDefault(value, key + " = " + value));
            shortTitles.add(info.chartTitles().getOrDefault(value, key + "=" + value));
        });
        String title = String.join(", ", titles);
        // A known class's chart titles say what it measures; another's start with its name.
        String shortTitle = info.chartTitles().isEmpty()
                ? className + (shortTitles.isEmpty() ? "" : ", " + String.join(", ", shortTitles))
                : shortTitles.isEmpty() ? info.chartTitles().getOrDefault("", className) : String.join(", ", shortTitles);

        // Ratio denominators per thread count.
        Map<Integer, Double> recloser = new TreeMap<>();
        Map<Integer, Double> baseline = new TreeMap<>();
        List<JmhResult> inOrder = members.stream()
                .sorted(Comparator.comparing(r -> Catalog.method(className, r.method()), METHOD_ORDER))
                .toList();
        for (JmhResult r : inOrder) {
            MethodInfo m = Catalog.method(className, r.method());
            // The first in catalog order if there are several.
            if (m.isRecloserReference()) {
                recloser.putIfAbsent(r.threads(), r.score());
            }
            if (m.library() == Catalog.Library.BASELINE) {
                baseline.putIfAbsent(r.threads(), r.score());
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            JmhResult r = members.get(i);
            MethodInfo m = Catalog.method(className, r.method());
            rows.add(new Row(r, m,
                    ratio(r.score(), recloser.get(r.threads())),
                    ratio(r.score(), baseline.get(r.threads())),
                    sharedFlags.get(i)));
        }
        rows.sort(Comparator.comparingInt(Row::threads).thenComparing(ROW_ORDER));
        return new Table(className, mode, path, title, shortTitle, List.copyOf(rows));
    }

    private static double ratio(double value, Double denominator) {
        if (denominator == null || denominator == 0 || Double.isNaN(denominator)) {
            return Double.NaN;
        }
        return value / Objects.requireNonNull(denominator);
    }
}
