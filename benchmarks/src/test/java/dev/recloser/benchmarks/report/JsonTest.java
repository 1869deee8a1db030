package dev.recloser.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void readsEveryKindOfValue() {
        Object value = Json.parse("""
                {"s": "text", "n": -12.5e2, "i": 42, "z": 0, "t": true, "f": false, "nul": null,
                 "a": [1, [2, []], {}], "o": {"k": "v"}}
                """);
        Map<String, Object> o = Json.object(value, "root");
        assertThat(o).containsEntry("s", "text").containsEntry("n", -1250.0).containsEntry("i", 42.0)
                .containsEntry("z", 0.0).containsEntry("t", true).containsEntry("f", false).containsEntry("nul", null);
        assertThat(o.keySet()).containsExactly("s", "n", "i", "z", "t", "f", "nul", "a", "o");
        assertThat(Json.array(o.get("a"), "a")).containsExactly(1.0, List.of(2.0, List.of()), Map.of());
        assertThat(Json.object(o.get("o"), "o")).containsExactly(Map.entry("k", "v"));
    }

    @Test
    void decodesEscapes() {
        assertThat(Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00b7\\u20AC\""))
                .isEqualTo("a\"b\\c/d\b\f\n\r\t\u00b7\u20ac");
        assertThat(Json.parse("\"·gc.alloc.rate.norm\"")).isEqualTo("·gc.alloc.rate.norm");
    }

    @Test
    void readsJmhsNotANumber() {
        // JMH writes NaN as a string; the bare tokens are accepted too.
        assertThat(Json.number(Json.parse("\"NaN\""))).isNaN();
        assertThat(Json.number(Json.parse("NaN"))).isNaN();
        assertThat(Json.number(Json.parse("-Infinity"))).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Json.number(Json.parse("Infinity"))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Json.number(null)).isNaN();
        assertThat(Json.number("12.5")).isEqualTo(12.5);
    }

    @Test
    void stringPrintsWholeNumbersWithoutFraction() {
        assertThat(Json.string(3.0, null)).isEqualTo("3");
        assertThat(Json.string(2.5, null)).isEqualTo("2.5");
        assertThat(Json.string(null, "fallback")).isEqualTo("fallback");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "[1 2]", "\"open", "01", "1.", "-",
            "1e", "tru", "{a:1}", "[1] x", "\"\\x\"", "\"\\u12\"", "\"tab\tinside\""})
    void rejectsMalformedInput(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON:");
    }

    @Test
    void errorsNameTheLineAndColumn() {
        assertThatThrownBy(() -> Json.parse("[\n  1,\n  x\n]"))
                .hasMessageContaining("line 3, column 3");
    }

    @Test
    void refusesAbsurdNesting() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nested deeper");
    }

    @Test
    void typeErrorsSayWhatWasFound() {
        assertThatThrownBy(() -> Json.object(List.of(), "row")).hasMessage("row: expected an object, got an array");
        assertThatThrownBy(() -> Json.array("x", "rows")).hasMessage("rows: expected an array, got String x");
        assertThatThrownBy(() -> Json.number("abc")).hasMessageContaining("not a number");
    }
}
