package dev.recloser.benchmarks.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Number formats of the report; locale-independent. */
final class Fmt {

    private Fmt() {
    }

    /**
     * A time or other measurement: one decimal below 100 ({@code 8.9}, {@code 23.5}), a whole number
     * with thousands separators from 100 on ({@code 160}, {@code 1,045}); "n/a" for NaN.
     */
    static String value(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "n/a";
        }
        if (Math.abs(v) < 99.95) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return grouped(Math.round(v));
    }

    /** A difference in {@link #value} format with its sign: {@code +17.1}, {@code -2.0}. */
    static String signed(double v) {
        return (v >= 0 ? "+" : "") + value(v);
    }

    /** A fraction as a signed percentage with one decimal: 0.0054 → {@code +0.5%}; "n/a" for NaN. */
    static String percent(double fraction) {
        if (Double.isNaN(fraction) || Double.isInfinite(fraction)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%+.1f%%", fraction * 100);
    }

    /** {@code ± error} in {@link #value} format, "n/a" when JMH gave none. */
    static String error(double e) {
        return Double.isNaN(e) ? "n/a" : "± " + value(e);
    }

    /** {@code min–max} in {@link #value} format. */
    static String range(double min, double max) {
        if (Double.isNaN(min) || Double.isNaN(max)) {
            return "n/a";
        }
        return value(min) + "–" + value(max);
    }

    /**
     * Bytes per operation as a whole number ({@code 0}, {@code 40}, {@code 1496}): JMH's
     * {@code gc.alloc.rate.norm} of an allocation-free path is noise of the order of 10⁻⁴ B/op.
     */
    static String bytes(double b) {
        if (Double.isNaN(b)) {
            return "n/a";
        }
        return Long.toString(Math.round(b));
    }

    /** A ratio: two decimals below 10 ({@code 0.05}, {@code 2.63}), a whole number from 10 on ({@code 44}, {@code 2349}). */
    static String ratio(double r) {
        if (Double.isNaN(r) || Double.isInfinite(r)) {
            return "–";
        }
        if (r < 9.995) {
            return String.format(Locale.ROOT, "%.2f", r);
        }
        return Long.toString(Math.round(r));
    }

    /** A small quantity in two significant digits, scientific below 0.01: {@code 2.5e-4}. */
    static String small(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == 0) {
            return "0";
        }
        if (Math.abs(v) >= 0.01) {
            return new BigDecimal(v).round(new MathContext(2, RoundingMode.HALF_UP)).stripTrailingZeros()
                    .toPlainString();
        }
        String s = String.format(Locale.ROOT, "%.1e", v);
        // 2.5e-04 -> 2.5e-4
        return s.replaceFirst("e([+-])0*(\\d)", "e$1$2").replace("e+", "e");
    }

    /** A whole number with comma thousands separators. */
    static String grouped(long v) {
        DecimalFormat f = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return f.format(v);
    }

    /** Thread count as prose: "1 thread", "2 threads". */
    static String threads(int n) {
        return n + (n == 1 ? " thread" : " threads");
    }
}
