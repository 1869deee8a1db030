package dev.recloser.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recloser.core.limit.ConcurrencyLimitConfig;
import dev.recloser.core.limit.ConcurrencyLimiter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Keeps the overload scenario working: a short run on loopback with and without an adaptive limit,
 * checked for what it must show (the limit sheds load, the unlimited client does not), not for how
 * fast.
 */
class OverloadScenarioSmokeTest {

    @Test
    void anAdaptiveLimitShedsLoadThatNoLimitLetsThrough() throws InterruptedException {
        OverloadScenario.Options o = OverloadScenario.Options.parse(new String[] {
                "--capacity", "10", "--service-ms", "50", "--loads", "3", "--warmup", "1", "--measure", "2",
                "--timeout-ms", "500", "--window-ms", "100"});
        OverloadScenario.Result none = OverloadScenario.run(o, new OverloadScenario.Fixed("no limit", null), 3);
        ConcurrencyLimiter vegas = ConcurrencyLimiter.of("vegas",
                ConcurrencyLimitConfig.builder().window(Duration.ofMillis(100)).build());
        OverloadScenario.Result limited = OverloadScenario.run(o, new OverloadScenario.Adaptive("Vegas", vegas), 3);
        OverloadScenario.printHeader(o);
        OverloadScenario.printRow(o, none);
        OverloadScenario.printRow(o, limited);

        assertThat(none.rejected.sum()).isZero();
        assertThat(limited.rejected.sum()).as("the limit shed part of a 3x load").isPositive();
        assertThat(limited.successes.sum()).isPositive();
        assertThat(vegas.inFlight()).as("every permit settled").isZero();
    }

    @Test
    void badOptionsAreRejectedWithTheOptionAndTheValue() {
        assertThatThrownBy(() -> OverloadScenario.Options.parse(new String[] {"--capacity", "1"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--capacity must be in [2, 1000], was 1");
        assertThatThrownBy(() -> OverloadScenario.Options.parse(new String[] {"--loads", "2,x"}))
                .hasMessageContaining("--loads").hasMessageContaining("x");
        assertThatThrownBy(() -> OverloadScenario.Options.parse(new String[] {"--measure"}))
                .hasMessageContaining("--measure");
        assertThatThrownBy(() -> OverloadScenario.Options.parse(new String[] {"--bogus", "1"}))
                .hasMessageContaining("--bogus");
    }
}
