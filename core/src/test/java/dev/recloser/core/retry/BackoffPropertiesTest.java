package dev.recloser.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Whatever the shape, jitter, retry number, previous delay or random draw: no delay leaves [0, cap]. */
class BackoffPropertiesTest {

    @Property
    void delayNeverExceedsTheCap(@ForAll("backoffs") Backoff backoff,
            @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int retry,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long previousDelayNanos,
            @ForAll("draws") double r) {
        long delay = backoff.delayNanos(retry, previousDelayNanos, () -> r);
        assertThat(delay).isBetween(0L, backoff.maxDelay().toNanos());
    }

    @Property
    void withoutJitterDelaysNeverShrink(@ForAll("backoffs") Backoff backoff,
            @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE - 1) int retry) {
        Backoff plain = backoff.withJitter(Jitter.none());
        assertThat(plain.delayNanos(retry + 1, 0L, () -> 0.0)).isGreaterThanOrEqualTo(plain.delayNanos(retry, 0L, () -> 0.0));
    }

    @Provide
    Arbitrary<Double> draws() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0.0, true, 1.0, false),
                Arbitraries.of(0.0, 0.999999, Math.nextDown(1.0)));
    }

    @Provide
    Arbitrary<Backoff> backoffs() {
        Arbitrary<Long> nanos = Arbitraries.oneOf(
                Arbitraries.longs().between(1L, 10_000_000_000L),
                Arbitraries.longs().between(1L, Long.MAX_VALUE));
        Arbitrary<Backoff> fixed = nanos.map(n -> Backoff.fixed(Duration.ofNanos(n)));
        Arbitrary<Backoff> linear = Combinators.combine(nanos, nanos, nanos).as((a, b, c) -> {
            long initial = Math.min(a, c);
            return Backoff.linear(Duration.ofNanos(initial), Duration.ofNanos(b), Duration.ofNanos(Math.max(a, c)));
        });
        Arbitrary<Backoff> exponential = Combinators.combine(nanos, Arbitraries.doubles().between(1.0, 100.0), nanos)
                .as((a, m, c) -> Backoff.exponential(Duration.ofNanos(Math.min(a, c)), m, Duration.ofNanos(Math.max(a, c))));
        Arbitrary<Jitter> jitters = Arbitraries.oneOf(
                Arbitraries.of(Jitter.none(), Jitter.full(), Jitter.equal(), Jitter.decorrelated()),
                Arbitraries.doubles().between(0.0, false, 1.0, true).map(Jitter::factor));
        return Combinators.combine(Arbitraries.oneOf(fixed, linear, exponential), jitters).as(Backoff::withJitter);
    }
}
