package dev.recloser.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportGeneratorTest {

    private static final Machine MACHINE = new Machine(2, "Test CPU", "family 6, 1 socket × 2 cores",
            "Test OS", Map.of("Resilience4j", "2.4.0"));

    @Test
    void writesTheReportAndTheChartsFromTwoRuns(@TempDir Path dir) throws Exception {
        Path t1 = dir.resolve("results-t1.json");
        Path t2 = dir.resolve("results-t2.json");
        Files.writeString(t1, Fixtures.file(Fixtures.run(1, 1)), StandardCharsets.UTF_8);
        Files.writeString(t2, Fixtures.file(Fixtures.run(2, 3)), StandardCharsets.UTF_8);
        Files.setLastModifiedTime(t1, FileTime.from(Instant.parse("2026-11-23T11:28:00Z")));
        Files.setLastModifiedTime(t2, FileTime.from(Instant.parse("2026-11-23T11:58:00Z")));
        Path notes = dir.resolve("notes.md");
        Files.writeString(notes, "## Observations\n\n- a human wrote this\n");
        Path out = dir.resolve("docs/benchmarks-generated.md");
        Path charts = dir.resolve("docs/benchmarks");

        ReportGenerator.Options options = ReportGenerator.Options.parse(new String[] {
                t1.toString(), t2.toString(), "--out", out.toString(), "--charts", charts.toString(),
                "--notes", notes.toString()});
        List<String> written = ReportGenerator.generate(options, MACHINE, Instant.parse("2026-11-24T08:00:00Z"));

        assertThat(written).hasSize(4);
        assertThat(charts.resolve("latency-1-thread.svg")).exists();
        assertThat(charts.resolve("latency-2-threads.svg")).exists();
        assertThat(charts.resolve("allocation.svg")).exists();
        for (String svg : List.of("latency-1-thread.svg", "latency-2-threads.svg", "allocation.svg")) {
            BarChartTest.parse(Files.readString(charts.resolve(svg)));
        }
        String md = Files.readString(out);
        assertThat(md)
                .startsWith("# Benchmarks\n")
                .contains("Generated 2026-11-24 08:00 UTC from")
                .contains("dev.recloser.benchmarks.report.ReportGenerator")
                .contains("| date | 2026-11-23, `results-t1.json` written 11:28 UTC, `results-t2.json` written 11:58 UTC |")
                .contains("| CPU | `nproc` = 2; `Test CPU` (family 6, 1 socket × 2 cores) |")
                .contains("| JDK | OpenJDK 64-Bit Server VM 17.0.15+6, JVM arguments `-Dx=y` |")
                .contains("| JMH | 1.37, `-prof gc` |")
                .contains("| libraries | Resilience4j 2.4.0 |")
                .contains("-t 2 -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc -rf json -rff " + t2)
                .contains("**Load check: the 2-thread figures of `results-t2.json` are inflated by other load.**")
                .contains("![Time per call, 1 thread (ns/op, lower is better)](benchmarks/latency-1-thread.svg)")
                .contains("![Allocation per call, 1 thread (B/op, lower is better)](benchmarks/allocation.svg)")
                .contains("## Targets")
                .contains("### Count window (last 100 calls)")
                .contains("| Resilience4j, `SYNCHRONIZED` window (default) (`resilience4jSynchronized`) | 1 | 30.0 | ± 1.0 "
                        + "| 29.0–31.0 | 40 | 3.00 | 60 |")
                .contains("| Resilience4j, `SYNCHRONIZED` window (default) (`resilience4jSynchronized`) | 2 | 90.0 | ± 1.0 "
                        + "| 29.0–31.0 | 40 | 3.00 | 60 |")
                .contains("| cost component: `System.nanoTime()` (`baselineNanoTime`) † | 1 |")
                .contains("| p50 | p90 | p99 | p99.9 | p99.99 | max | mean | B/op |")
                .contains("| **Recloser** `tryAcquirePermit()` → `NO_PERMIT` (`recloser`) | 1 | 30.0 | 33.0 | 48.0 | 124 "
                        + "| 14,319 | 91,904 | 50.0 | 0 |")
                .endsWith("## Observations\n\n- a human wrote this\n");
    }

    @Test
    void reportsTheReactorAndWebClientClassesWithTheirTargetsChartsAndTheSuiteScript(@TempDir Path dir)
            throws Exception {
        Path core = dir.resolve("core-t1.json");
        Path reactor1 = dir.resolve("reactor-t1.json");
        Path reactor2 = dir.resolve("reactor-t2.json");
        Path webClient = dir.resolve("webclient.json");
        Files.writeString(core, Fixtures.file(Fixtures.run(1, 1)), StandardCharsets.UTF_8);
        Files.writeString(reactor1, Fixtures.file(Fixtures.reactor(1, 36.9, 30.8, 88)), StandardCharsets.UTF_8);
        Files.writeString(reactor2, Fixtures.file(Fixtures.reactor(2, 38, 133, 88)), StandardCharsets.UTF_8);
        // The fast fail is measured at 64 threads only: no average-time row at 64 threads.
        Files.writeString(webClient, Fixtures.file(Fixtures.webClient(96.2, 38.7, 64, 28_032)), StandardCharsets.UTF_8);
        Path out = dir.resolve("docs/benchmarks.md");
        Path charts = dir.resolve("docs/benchmarks");

        List<String> written = ReportGenerator.generate(ReportGenerator.Options.parse(new String[] {
                core.toString(), reactor1.toString(), reactor2.toString(), webClient.toString(), "--out", out.toString(),
                "--charts", charts.toString()}), MACHINE, Instant.parse("2026-11-24T08:00:00Z"));

        // No core class at 2 or 64 threads: no empty core chart for those thread counts.
        assertThat(written).extracting(w -> Path.of(w).getFileName().toString()).containsExactly(
                "latency-1-thread.svg", "allocation.svg", "reactor-latency.svg", "reactor-allocation.svg",
                "benchmarks.md");
        String reactorChart = Files.readString(charts.resolve("reactor-latency.svg"));
        BarChartTest.parse(reactorChart);
        assertThat(reactorChart).contains("Mono, 1 thread", "Mono, 2 threads", "fast fail, OPEN, 2 threads",
                "Recloser (monoRecloser)", "bare baseline (fastFailBareFreshError)");
        // The core chart shows nothing of the Reactor classes.
        assertThat(Files.readString(charts.resolve("latency-1-thread.svg"))).doesNotContain("Mono");

        String md = Files.readString(out);
        assertThat(md)
                .contains("bash benchmarks/run-suite.sh                 # every JMH run, then the report")
                .contains("java -jar benchmarks/target/benchmarks.jar \"ReactorBreakerBenchmark|"
                        + "ReactorFastFailLatencyBenchmark|ReactorContentionBenchmark\"")
                .contains("![Reactor operator: time per subscription (ns/op, lower is better)]"
                        + "(benchmarks/reactor-latency.svg)")
                .contains("| Reactor fast fail ≤ 1.5× a bare `Mono.error` of a fresh error")
                .contains("| WebClient fast fail p99 < 50 µs at 64 threads")
                .contains("p99 28,032 ns (`bare`: 3,200 ns) | **met** |")
                .contains("### Mono, closed breaker: `Mono.just(1)`")
                .contains("| **Recloser** `ResilienceFilter`, defaults: breaker + 10 s attempt timeout (`withFilter`) "
                        + "| 1 | 96,200 | ± 38,700 |")
                .contains("Load check: `System.nanoTime()`, which touches no shared state, took 17.0 ns at 1 thread "
                        + "(`reactor-t1.json`)");
        assertThat(md.indexOf("## Reactor operator: `ReactorBreakerBenchmark`"))
                .isGreaterThan(md.indexOf("## Rejection percentiles"))
                .isLessThan(md.indexOf("## WebClient filter overhead: `WebClientFilterBenchmark`"));
        assertThat(md.indexOf("bash benchmarks/run-suite.sh")).isLessThan(md.indexOf("java -jar benchmarks/target"));
    }

    @Test
    void aMachineRecordedOnTheBenchmarkMachineIsReadBackAndNamedInTheReport(@TempDir Path dir) throws Exception {
        Path machineFile = dir.resolve("machine.json");
        MACHINE.write(machineFile);
        Machine read = Machine.read(machineFile);
        assertThat(read).isEqualTo(MACHINE);
        Files.writeString(machineFile, "{\"nproc\": 2}");
        assertThatThrownBy(() -> Machine.read(machineFile)).hasMessageContaining("needs os");

        Path t1 = dir.resolve("results-t1.json");
        Files.writeString(t1, Fixtures.file(Fixtures.run(1, 1)), StandardCharsets.UTF_8);
        Path out = dir.resolve("docs/benchmarks.md");
        ReportGenerator.Options options = ReportGenerator.Options.parse(new String[] {
                t1.toString(), "--out", out.toString(), "--machine", "recorded/machine.json"});
        assertThat(options.machine()).isEqualTo(Path.of("recorded/machine.json"));
        ReportGenerator.generate(options, read, Instant.parse("2026-11-24T08:00:00Z"));
        assertThat(Files.readString(out))
                .contains("| CPU | `nproc` = 2; `Test CPU` (family 6, 1 socket × 2 cores) |")
                .contains("CPU, OS and library versions were recorded on the benchmark machine "
                        + "(`recorded/machine.json`)")
                .doesNotContain("read where the report is generated");
    }

    @Test
    void parsesTheCommandLine() {
        ReportGenerator.Options o = ReportGenerator.Options.parse(new String[] {"a.json", "--out", "docs/x.md", "b.json"});
        assertThat(o.inputs()).containsExactly("a.json", "b.json");
        assertThat(o.out()).isEqualTo(Path.of("docs/x.md"));
        assertThat(o.charts()).isEqualTo(Path.of("docs/benchmarks").toAbsolutePath());
        assertThat(o.notes()).isNull();
        assertThat(o.machine()).isNull();
        assertThat(ReportGenerator.Options.parse(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> ReportGenerator.Options.parse(new String[] {"a.json"}))
                .hasMessageContaining("--out");
        assertThatThrownBy(() -> ReportGenerator.Options.parse(new String[] {"--out", "x.md"}))
                .hasMessageContaining("no JMH result file");
        assertThatThrownBy(() -> ReportGenerator.Options.parse(new String[] {"a.json", "--out"}))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> ReportGenerator.Options.parse(new String[] {"a.json", "--outt", "x"}))
                .hasMessageContaining("unknown option");
    }

    @Test
    void theCommandIsCopyable() {
        assertThat(ReportGenerator.command(List.of("benchmarks/target/results-t1.json",
                "benchmarks/target/results-t2.json", "--out", "docs/benchmarks-generated.md", "--charts",
                "docs/benchmarks")))
                .isEqualTo("""
                        java -cp benchmarks/target/benchmarks.jar dev.recloser.benchmarks.report.ReportGenerator \\
                            benchmarks/target/results-t1.json benchmarks/target/results-t2.json \\
                            --out docs/benchmarks-generated.md --charts docs/benchmarks""");
        assertThat(ReportGenerator.command(List.of("my results.json", "--out", "o.md")))
                .contains("'my results.json'");
    }
}
