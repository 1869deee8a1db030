package dev.recloser.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Synthetic JMH JSON, shaped like JMH 1.37's {@code -rf json} output. */
final class Fixtures {

    private Fixtures() {
    }

    static final String PACKAGE = "dev.recloser.benchmarks.";

    /** One average-time row in ns/op; {@code alloc} NaN leaves out the gc profiler's metrics. */
    static String avgt(String classAndMethod, Map<String, String> params, int threads, double score, double error,
                       double min, double max, double alloc) {
        return row(classAndMethod, "avgt", params, threads, 1, "ns/op", score, Double.toString(error),
                percentiles(min, (min + max) / 2, max), alloc);
    }

    /** One sample-time row with the given p50, p90, p99, p99.9, p99.99 and max. */
    static String sample(String classAndMethod, Map<String, String> params, int threads, double mean,
                         double... p) {
        String percentiles = String.format(Locale.ROOT,
                "{\"0.0\" : 1.0, \"50.0\" : %s, \"90.0\" : %s, \"95.0\" : %s, \"99.0\" : %s, \"99.9\" : %s, "
                        + "\"99.99\" : %s, \"99.999\" : %s, \"99.9999\" : %s, \"100.0\" : %s}",
                p[0], p[1], p[1], p[2], p[3], p[4], p[5], p[5], p[5]);
        return row(classAndMethod, "sample", params, threads, 1, "ns/op", mean, "\"NaN\"", percentiles, 0.001);
    }

    static String percentiles(double min, double mid, double max) {
        return String.format(Locale.ROOT,
                "{\"0.0\" : %s, \"50.0\" : %s, \"90.0\" : %s, \"95.0\" : %s, \"99.0\" : %s, \"99.9\" : %s, "
                        + "\"99.99\" : %s, \"99.999\" : %s, \"99.9999\" : %s, \"100.0\" : %s}",
                min, mid, max, max, max, max, max, max, max, max);
    }

    static String row(String classAndMethod, String mode, Map<String, String> params, int threads, int forks,
                      String unit, double score, String error, String percentiles, double alloc) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"jmhVersion\" : \"1.37\",\n  \"benchmark\" : \"").append(PACKAGE).append(classAndMethod)
                .append("\",\n  \"mode\" : \"").append(mode).append("\",\n  \"threads\" : ").append(threads)
                .append(",\n  \"forks\" : ").append(forks)
                .append(",\n  \"jvm\" : \"/usr/lib/jvm/java-17/bin/java\",\n  \"jvmArgs\" : [ \"-Dx=y\" ],")
                .append("\n  \"jdkVersion\" : \"17.0.15\",\n  \"vmName\" : \"OpenJDK 64-Bit Server VM\",")
                .append("\n  \"vmVersion\" : \"17.0.15+6\",\n  \"warmupIterations\" : 3,\n  \"warmupTime\" : \"1 s\",")
                .append("\n  \"warmupBatchSize\" : 1,\n  \"measurementIterations\" : 5,\n  \"measurementTime\" : \"1 s\",")
                .append("\n  \"measurementBatchSize\" : 1,\n");
        if (!params.isEmpty()) {
            sb.append("  \"params\" : {");
            List<String> entries = new ArrayList<>();
            new TreeMap<>(params).forEach((k, v) -> entries.add("\"" + k + "\" : \"" + v + "\""));
            sb.append(String.join(", ", entries)).append("},\n");
        }
        sb.append("  \"primaryMetric\" : {\"score\" : ").append(score).append(", \"scoreError\" : ").append(error)
                .append(", \"scoreConfidence\" : [0, 0], \"scorePercentiles\" : ").append(percentiles)
                .append(", \"scoreUnit\" : \"").append(unit).append("\", \"rawData\" : [[").append(score)
                .append("]]},\n  \"secondaryMetrics\" : {");
        if (!Double.isNaN(alloc)) {
            sb.append("\"gc.alloc.rate\" : {\"score\" : 1.0, \"scoreError\" : 0.1, \"scoreUnit\" : \"MB/sec\"},")
                    .append(" \"gc.alloc.rate.norm\" : {\"score\" : ").append(alloc)
                    .append(", \"scoreError\" : 0.0, \"scoreUnit\" : \"B/op\"},")
                    .append(" \"gc.count\" : {\"score\" : 0.0, \"scoreError\" : \"NaN\", \"scoreUnit\" : \"counts\"}");
        }
        sb.append("}\n}");
        return sb.toString();
    }

    static String file(List<String> rows) {
        return "[\n" + String.join(",\n", rows) + "\n]\n";
    }

    static Map<String, String> window(String w) {
        return Map.of("window", w);
    }

    static Map<String, String> state(String s) {
        return Map.of("state", s);
    }

    /**
     * A small but complete run: the closed path (COUNT only) and the rejection path (OPEN only, plus
     * the parameterless nanoTime probe) at {@code threads}, with simple numbers.
     */
    static List<String> run(int threads, double slowdown) {
        double f = slowdown;
        return List.of(
                avgt("CoreBreakerBenchmark.baseline", window("COUNT"), threads, 0.5 * f, 0.05, 0.45, 0.55, 1e-6),
                avgt("CoreBreakerBenchmark.recloser", window("COUNT"), threads, 10 * f, 0.5, 9.5, 10.5, 1e-4),
                avgt("CoreBreakerBenchmark.resilience4jSynchronized", window("COUNT"), threads, 30 * f, 1, 29, 31, 40),
                avgt("CoreBreakerBenchmark.failsafe", window("COUNT"), threads, 20 * f, 1, 19, 21, 2e-4),
                avgt("RejectionBenchmark.baseline", state("OPEN"), threads, 0.5 * f, 0.05, 0.45, 0.55, 1e-6),
                avgt("RejectionBenchmark.baselineNanoTime", Map.of(), threads, 20 * f, 0.2, 19.8, 20.2, 1e-4),
                avgt("RejectionBenchmark.recloser", state("OPEN"), threads, 4 * f, 0.1, 3.9, 4.1, 1e-5),
                avgt("RejectionBenchmark.recloserWithException", state("OPEN"), threads, 40 * f, 1, 39, 41, 72),
                avgt("RejectionBenchmark.resilience4j", state("OPEN"), threads, 80 * f, 2, 78, 82, 120),
                sample("RejectionLatencyBenchmark.recloser", state("OPEN"), threads, 50, 30, 33, 48, 124, 14319,
                        91904));
    }

    /** One average-time row of a benchmark whose JMH unit is µs/op ({@code WebClientFilterBenchmark}). */
    static String avgtMicros(String classAndMethod, int threads, double score, double error, double min, double max,
                             double alloc) {
        return row(classAndMethod, "avgt", Map.of(), threads, 2, "us/op", score, Double.toString(error),
                percentiles(min, (min + max) / 2, max), alloc);
    }

    /**
     * The Reactor classes at {@code threads}: {@code ReactorBreakerBenchmark}'s Mono path, its fast
     * fail in the OPEN state and a cost component, {@code ReactorFastFailLatencyBenchmark}'s
     * Recloser row, and, at 2 threads, {@code ReactorContentionBenchmark}.
     *
     * @param fastFail  {@code fastFailRecloser}'s ns/op (the fresh-error baseline is 7)
     * @param mono      {@code monoRecloser}'s ns/op (the bare Mono is 14 ns, Resilience4j 120 ns × threads)
     * @param monoBytes {@code monoRecloser}'s B/op (the bare Mono allocates 32)
     */
    static List<String> reactor(int threads, double fastFail, double mono, double monoBytes) {
        List<String> rows = new ArrayList<>(List.of(
                avgt("ReactorBreakerBenchmark.baselineNanoTime", Map.of(), threads, 17, 0.2, 16.8, 17.2, 1e-4),
                avgt("ReactorBreakerBenchmark.monoBare", Map.of(), threads, 14, 0.1, 13.9, 14.1, 32),
                avgt("ReactorBreakerBenchmark.monoRecloser", Map.of(), threads, mono, 1, mono - 1, mono + 1, monoBytes),
                avgt("ReactorBreakerBenchmark.monoResilience4j", Map.of(), threads, 120 * threads, 4,
                        120 * threads - 4, 120 * threads + 4, 136),
                avgt("ReactorBreakerBenchmark.fastFailBare", state("OPEN"), threads, 0.6, 0.02, 0.6, 0.7, 1e-5),
                avgt("ReactorBreakerBenchmark.fastFailBareFreshError", state("OPEN"), threads, 7, 0.2, 6.8, 7.2, 40),
                avgt("ReactorBreakerBenchmark.fastFailRecloser", state("OPEN"), threads, fastFail, 1, fastFail - 1,
                        fastFail + 1, 56),
                sample("ReactorFastFailLatencyBenchmark.recloser", state("OPEN"), threads, 80, 59, 65, 182, 374,
                        48473, 1277952)));
        if (threads > 1) {
            rows.add(avgt("ReactorContentionBenchmark.recloserShared", Map.of(), threads, 130, 2, 128, 132, 88));
            rows.add(avgt("ReactorContentionBenchmark.recloserPerThread", Map.of(), threads, 32.5, 1, 31, 34, 88));
            rows.add(avgt("ReactorContentionBenchmark.resilience4jShared", Map.of(), threads, 325, 10, 310, 340, 136));
        }
        return rows;
    }

    /**
     * The WebClient classes: the filter's overhead at 1 thread (µs/op, as JMH reports it) and its
     * fast fail's percentiles.
     *
     * @param withFilter  {@code withFilter}'s µs/op and 99.9% error; {@code withoutFilter} is 100 ± 1 µs
     * @param p99         {@code recloser}'s p99 at {@code threads}, ns
     */
    static List<String> webClient(double withFilter, double withFilterError, int threads, double p99) {
        return List.of(
                avgtMicros("WebClientFilterBenchmark.withoutFilter", 1, 100, 1, 99, 101, 20448),
                avgtMicros("WebClientFilterBenchmark.withFilter", 1, withFilter, withFilterError,
                        withFilter - withFilterError, withFilter + withFilterError, 21239),
                sample("WebClientFastFailBenchmark.bare", Map.of(), threads, 2000, 1700, 2000, 3200, 75000, 2.5e8, 7.5e8),
                sample("WebClientFastFailBenchmark.recloser", Map.of(), threads, 2200, 1950, 2600, p99, 107000, 2.5e8,
                        9.5e8));
    }
}
