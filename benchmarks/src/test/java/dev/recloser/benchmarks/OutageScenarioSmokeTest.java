package dev.recloser.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(with.requestsDuringOutage).isLessThan(without.requestsDuringOutage);
        assertThat(with.successes).isPositive();
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
