package dev.recloser.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CircuitBreakerConfigTest {

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                invalid("failureRateThreshold", "0.0", b -> b.failureRateThreshold(0)),
                invalid("failureRateThreshold", "-1.0", b -> b.failureRateThreshold(-1)),
                invalid("failureRateThreshold", "100.5", b -> b.failureRateThreshold(100.5)),
                invalid("failureRateThreshold", "NaN", b -> b.failureRateThreshold(Double.NaN)),
                invalid("failureRateThreshold", "Infinity", b -> b.failureRateThreshold(Double.POSITIVE_INFINITY)),
                invalid("slowCallRateThreshold", "0.0", b -> b.slowCallRateThreshold(0)),
                invalid("slowCallRateThreshold", "101.0", b -> b.slowCallRateThreshold(101)),
                invalid("slowCallRateThreshold", "NaN", b -> b.slowCallRateThreshold(Double.NaN)),
                invalid("slowCallDurationThreshold", "PT0S", b -> b.slowCallDurationThreshold(Duration.ZERO)),
                invalid("slowCallDurationThreshold", "PT-1S", b -> b.slowCallDurationThreshold(Duration.ofSeconds(-1))),
                invalid("consecutiveFailureThreshold", "-1", b -> b.consecutiveFailureThreshold(-1)),
                invalid("minimumNumberOfCalls", "0", b -> b.minimumNumberOfCalls(0)),
                invalid("minimumNumberOfCalls", "-5", b -> b.minimumNumberOfCalls(-5)),
                invalid("waitDurationInOpenState", "PT0S", b -> b.waitDurationInOpenState(Duration.ZERO)),
                invalid("waitDurationInOpenState", "PT-0.001S", b -> b.waitDurationInOpenState(Duration.ofMillis(-1))),
                invalid("waitDurationInOpenState", "PT2562047788015H12M55S",
                        b -> b.waitDurationInOpenState(Duration.ofSeconds(Long.MAX_VALUE / 1000))),
                invalid("openStateBackoff.multiplier", "0.5", b -> b.openStateBackoff(0.5, Duration.ofMinutes(1))),
                invalid("openStateBackoff.multiplier", "NaN", b -> b.openStateBackoff(Double.NaN, Duration.ofMinutes(1))),
                invalid("openStateBackoff.multiplier", "101.0", b -> b.openStateBackoff(101, Duration.ofMinutes(1))),
                invalid("openStateBackoff.maxWait", "PT0S", b -> b.openStateBackoff(2, Duration.ZERO)),
                invalid("openStateJitter", "-0.1", b -> b.openStateJitter(-0.1)),
                invalid("openStateJitter", "1.0", b -> b.openStateJitter(1.0)),
                invalid("openStateJitter", "NaN", b -> b.openStateJitter(Double.NaN)),
                invalid("permittedCallsInHalfOpenState", "0", b -> b.permittedCallsInHalfOpenState(0)),
                invalid("maxWaitInHalfOpenState", "PT0S", b -> b.maxWaitInHalfOpenState(Duration.ZERO)),
                invalid("minimumNumberOfCalls", "11",
                        b -> b.slidingWindow(SlidingWindow.countBased(10)).minimumNumberOfCalls(11).build()),
                invalid("openStateBackoff.maxWait", "PT1S", b -> b.waitDurationInOpenState(Duration.ofSeconds(2))
                        .openStateBackoff(2, Duration.ofSeconds(1)).build()),
                invalid("slidingWindow.size", "0", b -> SlidingWindow.countBased(0)),
                invalid("slidingWindow.size", "1000001", b -> SlidingWindow.countBased(1_000_001)),
                invalid("slidingWindow.length", "PT0S", b -> SlidingWindow.timeBased(Duration.ZERO, 10)),
                invalid("slidingWindow.buckets", "0", b -> SlidingWindow.timeBased(Duration.ofSeconds(10), 0)),
                invalid("slidingWindow.buckets", "1001", b -> SlidingWindow.timeBased(Duration.ofSeconds(10), 1001)),
                invalid("slidingWindow.length", "PT0.000000002S", b -> SlidingWindow.timeBased(Duration.ofNanos(2), 3)));
    }

    private static Arguments invalid(String option, String value, Consumer<CircuitBreakerConfig.Builder> setter) {
        return Arguments.of(option, value, setter);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidValues")
    void everyInvalidValueIsRejectedNamingTheOptionAndTheValue(String option, String value,
                                                               Consumer<CircuitBreakerConfig.Builder> setter) {
        CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
        assertThatThrownBy(() -> setter.accept(b))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(option)
                .hasMessageContaining(value);
    }

    /** Issue 15: a threshold below 1 percent, most often a ratio written by mistake, is named in a WARN. */
    @Test
    void aFailureRateThresholdBelowOnePercentIsWarnedAboutAsPercent() {
        assertThat(CircuitBreakerConfig.Builder.ratioWarning(0.5))
                .isEqualTo("failureRateThreshold is 0.5 percent, not 50.0 percent: the threshold is a percentage "
                        + "in (0, 100]; if a ratio was meant, write failureRateThreshold(50.0)");
        assertThat(CircuitBreakerConfig.Builder.ratioWarning(1)).isNull();
        assertThat(CircuitBreakerConfig.Builder.ratioWarning(50)).isNull();
        // Still accepted: a threshold below 1 percent is legitimate.
        assertThat(CircuitBreakerConfig.builder().failureRateThreshold(0.5).build().failureRateThreshold())
                .isEqualTo(0.5);
    }

    @Test
    void nullsAreRejectedNamingTheOption() {
        CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
        assertThatThrownBy(() -> b.slowCallDurationThreshold(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("slowCallDurationThreshold");
        assertThatThrownBy(() -> b.waitDurationInOpenState(null)).hasMessage("waitDurationInOpenState");
        assertThatThrownBy(() -> b.maxWaitInHalfOpenState(null)).hasMessage("maxWaitInHalfOpenState");
        assertThatThrownBy(() -> b.openStateBackoff(2, null)).hasMessage("openStateBackoff.maxWait");
        assertThatThrownBy(() -> b.slidingWindow(null)).hasMessage("slidingWindow");
        assertThatThrownBy(() -> b.recordFailure(null)).hasMessage("recordFailure");
        assertThatThrownBy(() -> b.ignoreErrors(null)).hasMessage("ignoreErrors");
        assertThatThrownBy(() -> b.recordResult(null)).hasMessage("recordResult");
        assertThatThrownBy(() -> b.clock(null)).hasMessage("clock");
        assertThatThrownBy(() -> b.randomSource(null)).hasMessage("randomSource");
        assertThatThrownBy(() -> SlidingWindow.timeBased(null, 1)).hasMessage("slidingWindow.length");
        assertThatThrownBy(() -> CircuitBreaker.of(null, CircuitBreakerConfig.balanced())).hasMessage("name");
    }

    @Test
    void presetsAreValidAndDistinctAndBalancedIsTheDefault() {
        CircuitBreakerConfig d = CircuitBreakerConfig.builder().build();
        CircuitBreakerConfig balanced = CircuitBreakerConfig.balanced();
        assertThat(d.toString()).isEqualTo(balanced.toString());
        assertThat(balanced.failureRateThreshold()).isEqualTo(50);
        assertThat(balanced.minimumNumberOfCalls()).isEqualTo(20);
        assertThat(balanced.slidingWindow()).isEqualTo(SlidingWindow.countBased(100));
        assertThat(balanced.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(30));
        assertThat(balanced.permittedCallsInHalfOpenState()).isEqualTo(1);
        assertThat(CircuitBreakerConfig.aggressive().failureRateThreshold())
                .isLessThan(balanced.failureRateThreshold())
                .isLessThan(CircuitBreakerConfig.conservative().failureRateThreshold());
    }

    @Test
    void toBuilderCopiesEveryValue() {
        CircuitBreakerConfig c = CircuitBreakerConfig.aggressive().toBuilder().build();
        assertThat(c.toString()).isEqualTo(CircuitBreakerConfig.aggressive().toString());
        CircuitBreakerConfig changed = c.toBuilder().failureRateThreshold(33).build();
        assertThat(changed.failureRateThreshold()).isEqualTo(33);
        assertThat(changed.slidingWindow()).isEqualTo(c.slidingWindow());
        assertThat(c.failureRateThreshold()).isEqualTo(25); // the original is untouched
    }

    @Test
    void slowCallDetectionIsOffByDefaultAndOnlyWhereAThresholdIsSet() {
        assertThat(CircuitBreakerConfig.balanced().detectsSlowCalls()).isFalse();
        assertThat(CircuitBreakerConfig.balanced().slowCallDurationThreshold()).isEmpty();
        assertThat(CircuitBreakerConfig.conservative().detectsSlowCalls()).isFalse();
        assertThat(CircuitBreakerConfig.aggressive().slowCallDurationThreshold()).contains(Duration.ofSeconds(2));
        CircuitBreakerConfig on = CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ofMillis(300)).build();
        assertThat(on.slowCallDurationThreshold()).contains(Duration.ofMillis(300));
        assertThat(on.toBuilder().noSlowCallDetection().build().detectsSlowCalls()).isFalse();
        assertThat(CircuitBreakerConfig.balanced().toString()).contains("slowCallDurationThreshold=off");

        CircuitBreaker b = CircuitBreaker.of("never-slow", CircuitBreakerConfig.builder()
                .slidingWindow(SlidingWindow.countBased(4)).minimumNumberOfCalls(4).build());
        for (int i = 0; i < 4; i++) {
            b.onSuccess(b.tryAcquirePermit(), Long.MAX_VALUE - 1); // any duration: not slow when detection is off
        }
        assertThat(b.metrics().slowCalls()).isZero();
        assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
