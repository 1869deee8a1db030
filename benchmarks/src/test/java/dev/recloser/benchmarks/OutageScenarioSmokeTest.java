package dev.recloser.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's first command working: a short run of the outage scenario on loopback (a few
 * seconds per side), checked for what it must show, not for how fast.
 */
class OutageScenarioSmokeTest {

    @Test
    void aShortOutageOpensTheBreakerOnlyWithTheFilter() throws InterruptedException {
        OutageScenario.Options o = OutageScenario.Options.parse(new String[] {
                "--mode", "503", "--concurrency", "4", "--healthy", "1", "--outage", "2", "--recovery", "2",
                "--pace-ms", "20", "--timeout-ms", "500"});
        OutageScenario.Result without = OutageScenario.run(o, false);
        OutageScenario.Result with = OutageScenario.run(o, true);
        OutageScenario.printSummary(o, without, with);

        assertThat(without.fastFails).isZero();
        assertThat(without.failures).as("every call of the outage reached the failing server").isPositive();
        assertThat(with.fastFails).as("the breaker answered calls itself").isPositive();
        assertThat(with.timeToOpenSeconds).isNotNaN();
        // Within the filtered run, not against the unfiltered one: the two runs see different machine
        // load (a loaded 2-core CI machine once gave the unfiltered run only 4 outage requests).
        assertThat(with.fastFails).as("most outage calls answered by the open breaker, not the server")
                .isGreaterThan(with.requestsDuringOutage);
        assertThat(with.successes).isPositive();
    }

    /** A row of the live table: second, phase, breaker, done/s, ok/s, fail/s, fast-fail/s, p50, p99. */
    private static final Pattern ROW = Pattern.compile(
            "^\\s+(\\d+)s\\s+(healthy|outage|recovery)\\s+\\S+\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s.*$");

    /**
     * Issue 15: each call is counted once, in the second it finished: in every row done/s is
     * ok/s + fail/s + fast-fail/s, and the rows together hold every call of the run that finished
     * before the table ended (none counted twice, so never more than the run's total).
     */
    @Test
    void thePerSecondColumnsAddUp() throws InterruptedException {
        OutageScenario.Options o = OutageScenario.Options.parse(new String[] {
                "--mode", "hang", "--concurrency", "8", "--healthy", "1", "--outage", "2", "--recovery", "2",
                "--pace-ms", "5", "--timeout-ms", "300"});
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        OutageScenario.Result with;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            with = OutageScenario.run(o, true);
        } finally {
            System.setOut(out);
        }
        String table = captured.toString(StandardCharsets.UTF_8);
        System.out.print(table);
        int rows = 0;
        long done = 0;
        for (String line : table.split("\\R")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows++;
                long d = Long.parseLong(m.group(3));
                long sum = Long.parseLong(m.group(4)) + Long.parseLong(m.group(5)) + Long.parseLong(m.group(6));
                assertThat(d).as("done/s = ok/s + fail/s + fast-fail/s in: %s", line).isEqualTo(sum);
                done += d;
            }
        }
        assertThat(rows).isEqualTo(o.totalSeconds());
        assertThat(done).isPositive().isLessThanOrEqualTo(with.total);
    }

    @Test
    void badOptionsAreRejectedWithTheOptionAndTheValue() {
        assertThatThrownBy(() -> OutageScenario.Options.parse(new String[] {"--mode", "flaky"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--mode").hasMessageContaining("flaky");
        assertThatThrownBy(() -> OutageScenario.Options.parse(new String[] {"--concurrency", "0"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--concurrency").hasMessageContaining("0");
        assertThatThrownBy(() -> OutageScenario.Options.parse(new String[] {"--outage"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--outage");
    }
}
