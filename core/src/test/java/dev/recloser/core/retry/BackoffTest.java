package dev.recloser.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackoffTest {

    private static final DoubleSupplier NOT_CALLED = () -> {
        throw new AssertionError("random source consulted without jitter");
    };

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    private static List<Long> sequence(Backoff backoff, int retries) {
        List<Long> delays = new ArrayList<>();
        long previous = 0L;
        for (int retry = 1; retry <= retries; retry++) {
            previous = backoff.delayNanos(retry, previous, NOT_CALLED);
            delays.add(previous);
        }
        return delays;
    }

    @Test
    void noneIsAlwaysZero() {
        assertThat(sequence(Backoff.none(), 5)).containsOnly(0L);
        assertThat(Backoff.none().delayNanos(Integer.MAX_VALUE, Long.MAX_VALUE, NOT_CALLED)).isZero();
        assertThat(Backoff.none().maxDelay()).isZero();
    }

    @Test
    void fixedRepeatsItsDelayWhichIsAlsoTheCap() {
        Backoff backoff = Backoff.fixed(Duration.ofMillis(250));
        assertThat(sequence(backoff, 5)).containsExactly(ms(250), ms(250), ms(250), ms(250), ms(250));
        assertThat(backoff.maxDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(backoff.initialDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(Backoff.fixed(Duration.ZERO).delayNanos(3, 0L, NOT_CALLED)).isZero();
    }

    @Test
    void linearGrowsByItsIncrementUpToTheCap() {
        Backoff backoff = Backoff.linear(Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMillis(300));
        assertThat(sequence(backoff, 7))
                .containsExactly(ms(100), ms(150), ms(200), ms(250), ms(300), ms(300), ms(300));
    }

    @Test
    void linearMayStartAtZero() {
        Backoff backoff = Backoff.linear(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(sequence(backoff, 4)).containsExactly(0L, ms(1000), ms(2000), ms(2000));
    }

    @Test
    void exponentialMultipliesUpToTheCap() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5));
        assertThat(sequence(backoff, 9)).containsExactly(
                ms(100), ms(200), ms(400), ms(800), ms(1600), ms(3200), ms(5000), ms(5000), ms(5000));
    }

    @Test
    void exponentialWithNonIntegerMultiplier() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 1.5, Duration.ofSeconds(1));
        assertThat(sequence(backoff, 7)).containsExactly(
                ms(100), ms(150), ms(225), Duration.ofMillis(337).plusNanos(500_000).toNanos(),
                Duration.ofMillis(506).plusNanos(250_000).toNanos(), Duration.ofMillis(759).plusNanos(375_000).toNanos(),
                ms(1000));
    }

    @Test
    void multiplierOneIsConstant() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 1.0, Duration.ofSeconds(1));
        assertThat(sequence(backoff, 4)).containsOnly(ms(100));
    }

    @Test
    void hugeRetryNumbersSaturateAtTheCapWithoutOverflow() {
        Backoff exponential = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5));
        Backoff linear = Backoff.linear(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofSeconds(5));
        for (int retry : new int[] {64, 1_000, 1 << 30, Integer.MAX_VALUE - 1, Integer.MAX_VALUE}) {
            assertThat(exponential.delayNanos(retry, 0L, NOT_CALLED)).isEqualTo(ms(5000));
            assertThat(linear.delayNanos(retry, 0L, NOT_CALLED)).isEqualTo(ms(5000));
        }
    }

    @Test
    void capAtLongMaxValueNanosDoesNotWrap() {
        Duration maxNanos = Duration.ofNanos(Long.MAX_VALUE);
        Backoff exponential = Backoff.exponential(Duration.ofNanos(1), 2.0, maxNanos);
        assertThat(exponential.delayNanos(62, 0L, NOT_CALLED)).isEqualTo(1L << 61);
        assertThat(exponential.delayNanos(63, 0L, NOT_CALLED)).isEqualTo(1L << 62);
        assertThat(exponential.delayNanos(64, 0L, NOT_CALLED)).isEqualTo(Long.MAX_VALUE);
        assertThat(exponential.delayNanos(Integer.MAX_VALUE, 0L, NOT_CALLED)).isEqualTo(Long.MAX_VALUE);

        Backoff linear = Backoff.linear(Duration.ZERO, Duration.ofNanos(Long.MAX_VALUE / 2), maxNanos);
        assertThat(linear.delayNanos(2, 0L, NOT_CALLED)).isEqualTo(Long.MAX_VALUE / 2);
        assertThat(linear.delayNanos(3, 0L, NOT_CALLED)).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(linear.delayNanos(4, 0L, NOT_CALLED)).isEqualTo(Long.MAX_VALUE);
        assertThat(linear.delayNanos(Integer.MAX_VALUE, 0L, NOT_CALLED)).isEqualTo(Long.MAX_VALUE);

        for (Jitter jitter : jitters()) {
            for (double r : new double[] {0.0, 0.5, 0.999999}) {
                long delay = exponential.withJitter(jitter).delayNanos(Integer.MAX_VALUE, Long.MAX_VALUE, () -> r);
                assertThat(delay).as("%s r=%s", jitter, r).isBetween(0L, Long.MAX_VALUE);
            }
        }
    }

    @Test
    void retryBelowOneIsRejected() {
        Backoff backoff = Backoff.fixed(Duration.ofSeconds(1));
        assertThatThrownBy(() -> backoff.delayNanos(0, 0L, NOT_CALLED))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("retry must be >= 1, was 0");
        assertThatThrownBy(() -> backoff.delayNanos(Integer.MIN_VALUE, 0L, NOT_CALLED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry");
    }

    @Test
    void withJitterReturnsACopy() {
        Backoff plain = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5));
        Backoff jittered = plain.withJitter(Jitter.full());
        assertThat(jittered).isNotSameAs(plain).isNotEqualTo(plain);
        assertThat(plain.jitter()).isEqualTo(Jitter.none());
        assertThat(jittered.jitter()).isEqualTo(Jitter.full());
        assertThat(jittered.withJitter(Jitter.none())).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(jittered.maxDelay()).isEqualTo(plain.maxDelay());
        assertThat(jittered.toString()).isEqualTo("Backoff.exponential(PT0.1S, 2.0, PT5S).withJitter(Jitter.full())");
        assertThat(Jitter.factor(0.25)).isEqualTo(Jitter.factor(0.25)).isNotEqualTo(Jitter.factor(0.5));
        assertThat(Backoff.none().withJitter(Jitter.full())).isSameAs(Backoff.none());
    }

    @Test
    void jitterFixedValues() {
        Backoff exp = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5));
        // Retry 3: base 400 ms.
        assertThat(exp.withJitter(Jitter.full()).delayNanos(3, 0L, () -> 0.25)).isEqualTo(ms(100));
        assertThat(exp.withJitter(Jitter.equal()).delayNanos(3, 0L, () -> 0.5)).isEqualTo(ms(300));
        assertThat(exp.withJitter(Jitter.factor(0.5)).delayNanos(3, 0L, () -> 0.0)).isEqualTo(ms(200));
        assertThat(exp.withJitter(Jitter.factor(0.5)).delayNanos(3, 0L, () -> 0.5)).isEqualTo(ms(400));
        // Decorrelated: [initial, 3 * previous), then capped; the first retry has no previous delay.
        Backoff dec = exp.withJitter(Jitter.decorrelated());
        assertThat(dec.delayNanos(1, 0L, () -> 0.5)).isEqualTo(ms(200));
        assertThat(dec.delayNanos(2, ms(1000), () -> 0.5)).isEqualTo(ms(1550));
        assertThat(dec.delayNanos(9, ms(5000), () -> 0.9)).isEqualTo(ms(5000));
        // 3 * previous below initial: the draw collapses to initial.
        assertThat(dec.delayNanos(2, ms(10), () -> 0.5)).isEqualTo(ms(100));
    }

    @Test
    void factorJitterAtTheCapSpreadsBelowTheCap() {
        Backoff backoff = Backoff.fixed(Duration.ofSeconds(1)).withJitter(Jitter.factor(0.2));
        assertThat(backoff.delayNanos(1, 0L, () -> 0.0)).isEqualTo(ms(800));
        assertThat(backoff.delayNanos(1, 0L, () -> 0.5)).isEqualTo(ms(900));
        assertThat(backoff.delayNanos(1, 0L, () -> 0.999999)).isBetween(ms(999), ms(1000));
    }

    static List<Jitter> jitters() {
        return List.of(Jitter.none(), Jitter.full(), Jitter.equal(), Jitter.decorrelated(),
                Jitter.factor(0.1), Jitter.factor(0.5), Jitter.factor(1.0));
    }

    static Stream<Arguments> shapesAndJitters() {
        List<Backoff> shapes = List.of(
                Backoff.fixed(Duration.ofMillis(500)),
                Backoff.linear(Duration.ofMillis(10), Duration.ofMillis(70), Duration.ofSeconds(1)),
                Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5)),
                Backoff.exponential(Duration.ofMillis(1), 3.7, Duration.ofMillis(777)));
        return shapes.stream().flatMap(s -> jitters().stream().map(j -> Arguments.of(s, j)));
    }

    /** The bounds the class javadoc of {@link Jitter} promises, for un-jittered delay {@code base}. */
    private static void assertWithinBounds(Backoff plain, Jitter jitter, int retry, long previous, long delay) {
        long base = plain.delayNanos(retry, previous, NOT_CALLED);
        long cap = plain.maxDelay().toNanos();
        long initial = plain.initialDelay().toNanos();
        assertThat(delay).as("%s %s retry %d", plain, jitter, retry).isBetween(0L, cap);
        if (jitter.equals(Jitter.none())) {
            assertThat(delay).isEqualTo(base);
        } else if (jitter.equals(Jitter.full())) {
            assertThat(delay).isBetween(0L, base);
        } else if (jitter.equals(Jitter.equal())) {
            assertThat(delay).isBetween(base / 2, base);
        } else if (jitter.equals(Jitter.decorrelated())) {
            long prev = previous > 0 ? previous : initial;
            long upper = Math.max(initial, Math.min(cap, prev > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : prev * 3));
            assertThat(delay).isBetween(initial, upper);
        } else {
            double f = Double.parseDouble(jitter.toString().replaceAll("Jitter\\.factor\\((.*)\\)", "$1"));
            long spread = (long) (base * f);
            assertThat(delay).isBetween(base - spread, Math.min(cap, base + spread));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("shapesAndJitters")
    void jitterStaysWithinItsBoundsForSeededDraws(Backoff plain, Jitter jitter) {
        Backoff backoff = plain.withJitter(jitter);
        SplittableRandom seeded = new SplittableRandom(42);
        DoubleSupplier random = seeded::nextDouble;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int call = 0; call < 500; call++) {
            long previous = 0L;
            for (int retry = 1; retry <= 20; retry++) {
                long delay = backoff.delayNanos(retry, previous, random);
                assertWithinBounds(plain, jitter, retry, previous, delay);
                min = Math.min(min, delay);
                max = Math.max(max, delay);
                previous = delay;
            }
        }
        boolean decorrelatedWithoutRoom = jitter.equals(Jitter.decorrelated()) && plain.initialDelay().equals(plain.maxDelay());
        if (!jitter.equals(Jitter.none()) && !decorrelatedWithoutRoom) {
            assertThat(max).as("jitter spreads delays").isGreaterThan(min);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("shapesAndJitters")
    void jitterStaysWithinItsBoundsAtTheExtremesAndForBadRandomSources(Backoff plain, Jitter jitter) {
        Backoff backoff = plain.withJitter(jitter);
        // 0.0 and 0.999999 are the legal extremes; the rest break the [0, 1) contract and must still
        // not push a delay out of bounds.
        double[] draws = {0.0, 0.999999, Math.nextDown(1.0), 1.0, 2.0, -1.0, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        long[] previousDelays = {0L, 1L, ms(100), ms(2000), Long.MAX_VALUE};
        for (double r : draws) {
            for (long previous : previousDelays) {
                for (int retry : new int[] {1, 2, 3, 10, 100, Integer.MAX_VALUE}) {
                    if (r >= 0.0 && r < 1.0) {
                        assertWithinBounds(plain, jitter, retry, previous, backoff.delayNanos(retry, previous, () -> r));
                    } else {
                        assertThat(backoff.delayNanos(retry, previous, () -> r))
                                .as("r=%s", r).isBetween(0L, plain.maxDelay().toNanos());
                    }
                }
            }
        }
    }

    @Test
    void fullJitterCoversItsRange() {
        Backoff backoff = Backoff.fixed(Duration.ofSeconds(1)).withJitter(Jitter.full());
        SplittableRandom seeded = new SplittableRandom(7);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = backoff.delayNanos(1, 0L, seeded::nextDouble);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isLessThan(ms(10));
        assertThat(max).isGreaterThan(ms(990));
    }

    @Test
    void delayNanosDoesNotAllocate() {
        SplittableRandom seeded = new SplittableRandom(1);
        DoubleSupplier random = seeded::nextDouble;
        Backoff[] backoffs = {
            Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5)).withJitter(Jitter.decorrelated()),
            Backoff.linear(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(1)).withJitter(Jitter.factor(0.3)),
            Backoff.fixed(Duration.ofMillis(5)).withJitter(Jitter.equal()),
        };
        long allocated = Allocations.measure(() -> {
            long sink = 0;
            for (int i = 0; i < 200_000; i++) {
                sink += backoffs[i % backoffs.length].delayNanos(1 + (i & 63), sink & 0xFFFF_FFFFL, random);
            }
            return sink;
        });
        assertThat(allocated).as("bytes allocated by 200,000 calls").isLessThan(16 * 1024);
    }

    @org.junit.jupiter.api.Test
    void factorJitterAboveTwoToThe53NanosNeverGoesNegative() {
        // Found by BackoffPropertiesTest: the double product d * 1.0 rounds up past d above 2^53.
        Backoff b = Backoff.fixed(java.time.Duration.ofNanos(9_007_199_254_740_995L)).withJitter(Jitter.factor(1.0));
        org.assertj.core.api.Assertions.assertThat(b.delayNanos(1, 0L, () -> 0.0)).isBetween(0L, 9_007_199_254_740_995L);
    }
}
