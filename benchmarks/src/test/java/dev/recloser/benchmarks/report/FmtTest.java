package dev.recloser.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FmtTest {

    @Test
    void valuesHaveOneDecimalBelowAHundredAndSeparatorsAbove() {
        assertThat(Fmt.value(0.417)).isEqualTo("0.4");
        assertThat(Fmt.value(8.9365)).isEqualTo("8.9");
        assertThat(Fmt.value(99.94)).isEqualTo("99.9");
        assertThat(Fmt.value(99.96)).isEqualTo("100");
        assertThat(Fmt.value(1045.36)).isEqualTo("1,045");
        assertThat(Fmt.value(73_531_392)).isEqualTo("73,531,392");
        assertThat(Fmt.value(Double.NaN)).isEqualTo("n/a");
    }

    @Test
    void errorsRangesBytesAndRatios() {
        assertThat(Fmt.error(1177.2)).isEqualTo("± 1,177");
        assertThat(Fmt.error(0.04)).isEqualTo("± 0.0");
        assertThat(Fmt.error(Double.NaN)).isEqualTo("n/a");
        assertThat(Fmt.range(118.2, 3616)).isEqualTo("118–3,616");
        assertThat(Fmt.bytes(1496.006)).isEqualTo("1496");
        assertThat(Fmt.bytes(2.5e-4)).isEqualTo("0");
        assertThat(Fmt.ratio(0.0467)).isEqualTo("0.05");
        assertThat(Fmt.ratio(9.994)).isEqualTo("9.99");
        assertThat(Fmt.ratio(12.4)).isEqualTo("12");
        assertThat(Fmt.ratio(2349.2)).isEqualTo("2349");
        assertThat(Fmt.ratio(Double.NaN)).isEqualTo("–");
    }

    @Test
    void differencesAndPercentagesCarryTheirSign() {
        assertThat(Fmt.signed(17.06)).isEqualTo("+17.1");
        assertThat(Fmt.signed(-2.04)).isEqualTo("-2.0");
        assertThat(Fmt.signed(1045)).isEqualTo("+1,045");
        assertThat(Fmt.percent(0.0054)).isEqualTo("+0.5%");
        assertThat(Fmt.percent(-0.515)).isEqualTo("-51.5%");
        assertThat(Fmt.percent(Double.NaN)).isEqualTo("n/a");
    }

    @Test
    void smallNumbersAndThreads() {
        assertThat(Fmt.small(2.527e-4)).isEqualTo("2.5e-4");
        assertThat(Fmt.small(0.01)).isEqualTo("0.01");
        assertThat(Fmt.small(0.5)).isEqualTo("0.5");
        assertThat(Fmt.small(0)).isEqualTo("0");
        assertThat(Fmt.threads(1)).isEqualTo("1 thread");
        assertThat(Fmt.threads(2)).isEqualTo("2 threads");
    }
}
