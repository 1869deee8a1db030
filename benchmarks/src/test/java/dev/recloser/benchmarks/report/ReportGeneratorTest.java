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
            SvgTest.parse(Files.readString(charts.resolve(svg)));
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
                .contains("**Load check: the 2-thread figures are inflated by other load.**")
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
    void parsesTheCommandLine() {
        ReportGenerator.Options o = ReportGenerator.Options.parse(new String[] {"a.json", "--out", "docs/x.md", "b.json"});
        assertThat(o.inputs()).containsExactly("a.json", "b.json");
        assertThat(o.out()).isEqualTo(Path.of("docs/x.md"));
        assertThat(o.charts()).isEqualTo(Path.of("docs/benchmarks").toAbsolutePath());
        assertThat(o.notes()).isNull();
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
