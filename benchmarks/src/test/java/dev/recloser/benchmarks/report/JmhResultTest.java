package dev.recloser.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmhResultTest {

    @Test
    void readsARow() {
        List<JmhResult> rows = JmhResult.parse(Fixtures.file(List.of(
                Fixtures.avgt("CoreBreakerBenchmark.recloser", Fixtures.window("COUNT"), 2, 23.8, 12.2, 15.6, 55.8,
                        5e-5))), "results.json");
        assertThat(rows).hasSize(1);
        JmhResult r = rows.get(0);
        assertThat(r.source()).isEqualTo("results.json");
        assertThat(r.benchmark()).isEqualTo("dev.recloser.benchmarks.CoreBreakerBenchmark.recloser");
        assertThat(r.className()).isEqualTo("CoreBreakerBenchmark");
        assertThat(r.method()).isEqualTo("recloser");
        assertThat(r.mode()).isEqualTo("avgt");
        assertThat(r.threads()).isEqualTo(2);
        assertThat(r.forks()).isEqualTo(1);
        assertThat(r.params()).containsExactly(Map.entry("window", "COUNT"));
        assertThat(r.score()).isEqualTo(23.8);
        assertThat(r.scoreError()).isEqualTo(12.2);
        assertThat(r.unit()).isEqualTo("ns/op");
        assertThat(r.min()).isEqualTo(15.6);
        assertThat(r.max()).isEqualTo(55.8);
        assertThat(r.allocNorm()).isEqualTo(5e-5);
        assertThat(r.run().jdkVersion()).isEqualTo("17.0.15");
        assertThat(r.run().vmName()).isEqualTo("OpenJDK 64-Bit Server VM");
        assertThat(r.run().vmVersion()).isEqualTo("17.0.15+6");
        assertThat(r.run().jmhVersion()).isEqualTo("1.37");
        assertThat(r.run().jvmArgs()).containsExactly("-Dx=y");
        assertThat(r.run().warmupIterations()).isEqualTo(3);
        assertThat(r.run().measurementTime()).isEqualTo("1 s");
        assertThat(r.run().gcProfiler()).isTrue();
    }

    @Test
    void sampleTimeKeepsPercentilesAndAcceptsNanError() {
        JmhResult r = JmhResult.parse(Fixtures.file(List.of(
                Fixtures.sample("RejectionLatencyBenchmark.baseline", Fixtures.state("OPEN"), 1, 31.1,
                        21, 22, 46, 196, 19199, 550912))), "x").get(0);
        assertThat(r.isSampleTime()).isTrue();
        assertThat(r.scoreError()).isNaN();
        assertThat(r.percentile(50)).isEqualTo(21);
        assertThat(r.percentile(99.99)).isEqualTo(19199);
        assertThat(r.max()).isEqualTo(550912);
        assertThat(r.percentile(12.3)).isNaN();
    }

    @Test
    void convertsTimeUnitsToNanoseconds() {
        String row = Fixtures.row("X.m", "avgt", Map.of(), 1, 1, "us/op", 1.5, "0.25",
                Fixtures.percentiles(1, 1.5, 2), Double.NaN);
        JmhResult r = JmhResult.parse(Fixtures.file(List.of(row)), "x").get(0);
        assertThat(r.unit()).isEqualTo("ns/op");
        assertThat(r.score()).isCloseTo(1500, within(1e-9));
        assertThat(r.scoreError()).isCloseTo(250, within(1e-9));
        assertThat(r.max()).isCloseTo(2000, within(1e-9));
        assertThat(r.allocNorm()).isNaN();
        assertThat(r.run().gcProfiler()).isFalse();
        assertThat(r.params()).isEmpty();
    }

    @Test
    void throughputIsLeftAsItIs() {
        String row = Fixtures.row("X.m", "thrpt", Map.of(), 1, 1, "ops/us", 7, "1", Fixtures.percentiles(6, 7, 8),
                Double.NaN);
        JmhResult r = JmhResult.parse(Fixtures.file(List.of(row)), "x").get(0);
        assertThat(r.unit()).isEqualTo("ops/us");
        assertThat(r.score()).isEqualTo(7);
    }

    @Test
    void readsTheOlderMiddleDotMetricName() {
        String row = Fixtures.avgt("X.m", Map.of(), 1, 1, 0.1, 0.9, 1.1, 48)
                .replace("\"gc.alloc.rate.norm\"", "\"\u00b7gc.alloc.rate.norm\"");
        assertThat(JmhResult.parse(Fixtures.file(List.of(row)), "x").get(0).allocNorm()).isEqualTo(48);
    }

    @Test
    void readsNotANumberAsJmhWritesItAndAsABareToken() {
        String quoted = Fixtures.row("X.m", "avgt", Map.of(), 1, 1, "ns/op", 2, "\"NaN\"", Fixtures.percentiles(1, 2, 3),
                Double.NaN);
        assertThat(JmhResult.parse(Fixtures.file(List.of(quoted)), "x").get(0).scoreError()).isNaN();
        String bare = quoted.replace("\"NaN\"", "NaN");
        assertThat(bare).isNotEqualTo(quoted);
        assertThat(JmhResult.parse(Fixtures.file(List.of(bare)), "x").get(0).scoreError()).isNaN();
    }

    @Test
    void rejectsWhatIsNotAJmhResultFile() {
        assertThatThrownBy(() -> JmhResult.parse("[\n  {\"benchmark\": \"X.m\",\n  x\n]", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 3");
        assertThatThrownBy(() -> JmhResult.parse("{}", "x")).hasMessageContaining("expected an array");
        assertThatThrownBy(() -> JmhResult.parse("[1]", "x")).hasMessageContaining("expected an object");
        assertThatThrownBy(() -> JmhResult.parse("[{}]", "x")).hasMessageContaining("no \"benchmark\"");
        assertThatThrownBy(() -> JmhResult.parse("[{\"benchmark\": \"X.m\"}]", "x"))
                .hasMessageContaining("primaryMetric");
    }

    @Test
    void numbersMayBeStringsButNothingElse() {
        assertThat(JmhResult.number(null)).isNaN();
        assertThat(JmhResult.number(com.fasterxml.jackson.databind.node.TextNode.valueOf("12.5"))).isEqualTo(12.5);
        assertThatThrownBy(() -> JmhResult.number(com.fasterxml.jackson.databind.node.TextNode.valueOf("abc")))
                .hasMessageContaining("not a number");
    }
}
