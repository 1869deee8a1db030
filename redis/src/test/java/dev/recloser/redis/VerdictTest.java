package dev.recloser.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The wire format: what is parsed, and why everything else is dropped. */
class VerdictTest {

    @Test
    void parsesAnOpenVerdictWithASeparatorInTheBreakerName() {
        Verdict v = Verdict.parse("rf1|OPEN|3|1796228243996|m0|FAILURE_RATE|62.50|-1|GET host|8080", 4096).verdict();
        assertThat(v).isEqualTo(new Verdict(true, 3, 1796228243996L, "m0", "FAILURE_RATE", 62.5, -1, "GET host|8080"));
    }

    @Test
    void dropsForeignVersionsOversizedAndMalformedMessages() {
        assertThat(Verdict.parse("rf2|OPEN|1|1|m|R|1|1|b", 4096).drop()).isEqualTo(Verdict.Drop.FOREIGN_VERSION);
        assertThat(Verdict.parse("rf1|OPEN|1|1|m|R|1|1|" + "b".repeat(100), 64).drop()).isEqualTo(Verdict.Drop.OVERSIZED);
        assertThat(Verdict.parse("rf1|OPEN|1|1|m|R|1|1|" + "\u00e9".repeat(40), 64).drop()).isEqualTo(Verdict.Drop.OVERSIZED);
        for (String bad : new String[] {"", "x", "rf1", "rf1|OPEN|1|1|m|R|1|1", "rf1|HALF|1|1|m|R|1|1|b", "rf1|OPEN|0|1|m|R|1|1|b",
            "rf1|OPEN|1|-1|m|R|1|1|b", "rf1|OPEN|1|1||R|1|1|b", "rf1|OPEN|1|1|m|R|1|1|", "rf1|OPEN|1|1|m|R|NaN|1|b",
            "rf1|OPEN|1e3|1|m|R|1|1|b", "rf1|OPEN|99999999999999999999|1|m|R|1|1|b"}) {
            assertThat(Verdict.parse(bad, 4096).drop()).as(bad).isEqualTo(Verdict.Drop.MALFORMED);
        }
        assertThat(Verdict.parse(null, 4096).drop()).isEqualTo(Verdict.Drop.MALFORMED);
    }
}
