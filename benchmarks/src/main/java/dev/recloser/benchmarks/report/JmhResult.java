package dev.recloser.benchmarks.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of a JMH JSON result file ({@code -rf json}): one benchmark method, with one set of
 * {@code @Param} values, at one thread count.
 *
 * <p>Times are normalised to nanoseconds ({@code s/op}, {@code ms/op} and {@code us/op} are
 * converted, so {@link #unit} is {@code ns/op}); other units (throughput) are kept as they are.
 *
 * @param source        the file it was read from, as given on the command line
 * @param benchmark     JMH's full name, {@code package.Class.method}
 * @param className     the simple class name
 * @param method        the method name
 * @param mode          JMH's short mode name: {@code avgt}, {@code sample}, {@code thrpt}, {@code ss}
 * @param threads       benchmark threads
 * @param forks         forks
 * @param params        the {@code @Param} values, sorted by name; empty if the method has none
 * @param score         the primary metric
 * @param scoreError    its 99.9% error half-width; NaN when JMH could not compute one
 * @param unit          the primary metric's unit
 * @param percentiles   the primary metric's percentiles (0..100): over iterations for
 *                      {@code avgt}/{@code thrpt}, over single calls for {@code sample}
 * @param allocNorm     {@code gc.alloc.rate.norm} in B/op (from {@code -prof gc}); NaN if absent
 * @param run           what the whole file shares: JVM, JMH and iteration settings
 */
record JmhResult(String source, String benchmark, String className, String method, String mode, int threads,
                 int forks, Map<String, String> params, double score, double scoreError, String unit,
                 Map<Double, Double> percentiles, double allocNorm, RunInfo run) {

    /**
     * Settings recorded with each row; in practice the same for every row of one file.
     *
     * @param jmhVersion             e.g. {@code 1.37}
     * @param jvm                    the java executable
     * @param jvmArgs                JVM arguments of the fork
     * @param jdkVersion             e.g. {@code 17.0.15}
     * @param vmName                 e.g. {@code OpenJDK 64-Bit Server VM}
     * @param vmVersion              e.g. {@code 17.0.15+6-Debian-1deb12u1}
     * @param warmupIterations       warm-up iterations per fork
     * @param warmupTime             e.g. {@code 1 s}
     * @param measurementIterations  measured iterations per fork
     * @param measurementTime        e.g. {@code 1 s}
     * @param gcProfiler             whether {@code -prof gc} ran (its metrics are present)
     */
    record RunInfo(String jmhVersion, String jvm, List<String> jvmArgs, String jdkVersion, String vmName,
                   String vmVersion, int warmupIterations, String warmupTime, int measurementIterations,
                   String measurementTime, boolean gcProfiler) {
    }

    JmhResult {
        params = Collections.unmodifiableMap(new TreeMap<>(params));
        percentiles = Collections.unmodifiableMap(new TreeMap<>(percentiles));
    }

    /** The smallest value the percentiles record (the fastest iteration in {@code avgt}). */
    double min() {
        return percentile(0.0);
    }

    /** The largest value the percentiles record (the slowest iteration in {@code avgt}). */
    double max() {
        return percentile(100.0);
    }

    /** The given percentile (0..100) of the primary metric; NaN if JMH did not record it. */
    double percentile(double p) {
        Double v = percentiles.get(p);
        return v == null ? Double.NaN : v;
    }

    /** Whether this is a sampled-time row, whose percentiles are over single calls. */
    boolean isSampleTime() {
        return "sample".equals(mode);
    }

    /**
     * Reads JMH's JSON. Lenient in one way: bare {@code NaN} and {@code Infinity} tokens are
     * accepted as numbers (JMH itself writes {@code "NaN"} as a string, which {@link #number} reads).
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** Reads every row of one JMH JSON result file. */
    static List<JmhResult> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return parse(text, file.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the text of a JMH JSON result file; {@code source} is recorded in each row. */
    static List<JmhResult> parse(String text, String source) {
        JsonNode rows;
        try {
            rows = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
        if (rows == null || !rows.isArray()) {
            throw new IllegalArgumentException("JMH result file: expected an array of result rows");
        }
        List<JmhResult> results = new ArrayList<>(rows.size());
        for (JsonNode row : rows) {
            if (!row.isObject()) {
                throw new IllegalArgumentException("result row: expected an object, got " + row.getNodeType());
            }
            results.add(of(row, source));
        }
        return results;
    }

    private static JmhResult of(JsonNode row, String source) {
        String benchmark = text(row, "benchmark", null);
        if (benchmark == null) {
            throw new IllegalArgumentException("a result row has no \"benchmark\"");
        }
        int lastDot = benchmark.lastIndexOf('.');
        String method = benchmark.substring(lastDot + 1);
        String qualifiedClass = lastDot < 0 ? "" : benchmark.substring(0, lastDot);
        String className = qualifiedClass.substring(qualifiedClass.lastIndexOf('.') + 1);

        Map<String, String> params = new TreeMap<>();
        row.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));

        JsonNode primary = row.path("primaryMetric");
        if (!primary.isObject()) {
            throw new IllegalArgumentException(benchmark + ": no \"primaryMetric\" object");
        }
        String unit = text(primary, "scoreUnit", "");
        double factor = toNanos(unit);
        if (factor != 1.0) {
            unit = "ns/op";
        }
        double score = number(primary.get("score")) * factor;
        double error = number(primary.get("scoreError")) * factor;
        Map<Double, Double> percentiles = new TreeMap<>();
        primary.path("scorePercentiles").fields().forEachRemaining(
                e -> percentiles.put(Double.parseDouble(e.getKey()), number(e.getValue()) * factor));

        double alloc = Double.NaN;
        boolean gc = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = row.path("secondaryMetrics").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            // JMH 1.37 names it "gc.alloc.rate.norm"; earlier versions prefix a middle dot.
            String name = e.getKey().startsWith("\u00b7") ? e.getKey().substring(1) : e.getKey();
            if (name.startsWith("gc.")) {
                gc = true;
            }
            if (name.equals("gc.alloc.rate.norm")) {
                alloc = number(e.getValue().get("score"));
            }
        }

        List<String> jvmArgs = new ArrayList<>();
        row.path("jvmArgs").forEach(a -> jvmArgs.add(a.asText()));
        RunInfo run = new RunInfo(
                text(row, "jmhVersion", "?"),
                text(row, "jvm", "?"),
                List.copyOf(jvmArgs),
                text(row, "jdkVersion", "?"),
                text(row, "vmName", "?"),
                text(row, "vmVersion", "?"),
                (int) orZero(number(row.get("warmupIterations"))),
                text(row, "warmupTime", "?"),
                (int) orZero(number(row.get("measurementIterations"))),
                text(row, "measurementTime", "?"),
                gc);

        return new JmhResult(source, benchmark, className, method,
                text(row, "mode", "?"),
                (int) orZero(number(row.get("threads"))),
                (int) orZero(number(row.get("forks"))),
                params, score, error, unit, percentiles, alloc, run);
    }

    /** A field as text, {@code fallback} if absent or null. */
    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    /**
     * A number, or a string holding one (JMH writes {@code "NaN"}); absent or null is NaN.
     */
    static double number(JsonNode value) {
        if (value == null || value.isNull()) {
            return Double.NaN;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.textValue().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number: \"" + value.textValue() + "\"", e);
            }
        }
        throw new IllegalArgumentException("expected a number, got " + value.getNodeType() + " " + value);
    }

    private static double orZero(double d) {
        return Double.isNaN(d) ? 0 : d;
    }

    /** The factor from {@code unit} to ns/op; 1 for ns/op and for units that are not a time per operation. */
    static double toNanos(String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "s/op" -> 1e9;
            case "ms/op" -> 1e6;
            case "us/op" -> 1e3;
            default -> 1.0;
        };
    }
}
