package dev.recloser.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid value of every option of the retry configuration types is rejected at the call that
 * sets it, with a message naming the option and the value (or, for null, a NullPointerException
 * naming the option).
 */
class RetryConfigValidationTest {

    private static final Duration ONE_S = Duration.ofSeconds(1);
    private static final Duration NEG = Duration.ofMillis(-1);
    private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);

    private static Arguments invalid(String option, Object value, ThrowingCallable call) {
        return Arguments.of(option, String.valueOf(value), call);
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                // Backoff
                invalid("delay", NEG, () -> Backoff.fixed(NEG)),
                invalid("delay", HUGE, () -> Backoff.fixed(HUGE)),
                invalid("initial", NEG, () -> Backoff.linear(NEG, ONE_S, ONE_S)),
                invalid("initial", HUGE, () -> Backoff.linear(HUGE, ONE_S, ONE_S)),
                invalid("increment", Duration.ZERO, () -> Backoff.linear(ONE_S, Duration.ZERO, ONE_S)),
                invalid("increment", NEG, () -> Backoff.linear(ONE_S, NEG, ONE_S)),
                invalid("increment", HUGE, () -> Backoff.linear(ONE_S, HUGE, ONE_S)),
                invalid("max", Duration.ZERO, () -> Backoff.linear(Duration.ZERO, ONE_S, Duration.ZERO)),
                invalid("max", NEG, () -> Backoff.linear(ONE_S, ONE_S, NEG)),
                invalid("max", HUGE, () -> Backoff.linear(ONE_S, ONE_S, HUGE)),
                invalid("max", Duration.ofMillis(500), () -> Backoff.linear(ONE_S, ONE_S, Duration.ofMillis(500))),
                invalid("initial", Duration.ZERO, () -> Backoff.exponential(Duration.ZERO, 2.0, ONE_S)),
                invalid("initial", NEG, () -> Backoff.exponential(NEG, 2.0, ONE_S)),
                invalid("initial", HUGE, () -> Backoff.exponential(HUGE, 2.0, ONE_S)),
                invalid("multiplier", 0.999, () -> Backoff.exponential(ONE_S, 0.999, ONE_S)),
                invalid("multiplier", 0.0, () -> Backoff.exponential(ONE_S, 0.0, ONE_S)),
                invalid("multiplier", -2.0, () -> Backoff.exponential(ONE_S, -2.0, ONE_S)),
                invalid("multiplier", Double.NaN, () -> Backoff.exponential(ONE_S, Double.NaN, ONE_S)),
                invalid("multiplier", Double.POSITIVE_INFINITY,
                        () -> Backoff.exponential(ONE_S, Double.POSITIVE_INFINITY, ONE_S)),
                invalid("multiplier", Double.NEGATIVE_INFINITY,
                        () -> Backoff.exponential(ONE_S, Double.NEGATIVE_INFINITY, ONE_S)),
                invalid("max", Duration.ZERO, () -> Backoff.exponential(ONE_S, 2.0, Duration.ZERO)),
                invalid("max", NEG, () -> Backoff.exponential(ONE_S, 2.0, NEG)),
                invalid("max", HUGE, () -> Backoff.exponential(ONE_S, 2.0, HUGE)),
                invalid("max", Duration.ofMillis(999), () -> Backoff.exponential(ONE_S, 2.0, Duration.ofMillis(999))),
                // Jitter
                invalid("factor", 0.0, () -> Jitter.factor(0.0)),
                invalid("factor", -0.1, () -> Jitter.factor(-0.1)),
                invalid("factor", 1.5, () -> Jitter.factor(1.5)),
                invalid("factor", Double.NaN, () -> Jitter.factor(Double.NaN)),
                invalid("factor", Double.POSITIVE_INFINITY, () -> Jitter.factor(Double.POSITIVE_INFINITY)),
                invalid("factor", Double.NEGATIVE_INFINITY, () -> Jitter.factor(Double.NEGATIVE_INFINITY)),
                // RetryPolicy
                invalid("maxAttempts", 0, () -> RetryPolicy.builder().maxAttempts(0)),
                invalid("maxAttempts", -1, () -> RetryPolicy.builder().maxAttempts(-1)),
                invalid("maxAttempts", Integer.MIN_VALUE, () -> RetryPolicy.builder().maxAttempts(Integer.MIN_VALUE)),
                invalid("maxTotalDuration", Duration.ZERO, () -> RetryPolicy.builder().maxTotalDuration(Duration.ZERO)),
                invalid("maxTotalDuration", NEG, () -> RetryPolicy.builder().maxTotalDuration(NEG)),
                invalid("maxTotalDuration", HUGE, () -> RetryPolicy.builder().maxTotalDuration(HUGE)),
                invalid("maxDelayHint", Duration.ZERO, () -> RetryPolicy.builder().maxDelayHint(Duration.ZERO)),
                invalid("maxDelayHint", NEG, () -> RetryPolicy.builder().maxDelayHint(NEG)),
                invalid("maxDelayHint", HUGE, () -> RetryPolicy.builder().maxDelayHint(HUGE)),
                // RetryBudget
                invalid("ratio", -0.1, () -> RetryBudget.builder().ratio(-0.1)),
                invalid("ratio", 10.5, () -> RetryBudget.builder().ratio(10.5)),
                invalid("ratio", 20.0, () -> RetryBudget.of(20.0, 1)),
                invalid("ratio", Double.NaN, () -> RetryBudget.builder().ratio(Double.NaN)),
                invalid("ratio", Double.POSITIVE_INFINITY, () -> RetryBudget.builder().ratio(Double.POSITIVE_INFINITY)),
                invalid("ratio", Double.NEGATIVE_INFINITY, () -> RetryBudget.builder().ratio(Double.NEGATIVE_INFINITY)),
                invalid("minRetriesPerSecond", -1, () -> RetryBudget.builder().minRetriesPerSecond(-1)),
                invalid("minRetriesPerSecond", -1, () -> RetryBudget.of(0.2, -1)),
                invalid("window", Duration.ZERO, () -> RetryBudget.builder().window(Duration.ZERO)),
                invalid("window", NEG, () -> RetryBudget.builder().window(NEG)),
                invalid("window", Duration.ofNanos(999_999), () -> RetryBudget.builder().window(Duration.ofNanos(999_999))),
                invalid("window", HUGE, () -> RetryBudget.builder().window(HUGE)),
                // RetryExhaustedException
                invalid("attempts", 0, () -> new RetryExhaustedException(0, new RuntimeException(), List.of())),
                invalid("attempts", -3, () -> RetryExhaustedException.ofResult(-3, "x", List.of())));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidValues")
    void invalidValueIsRejectedWithOptionAndValueInTheMessage(String option, String value, ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(option)
                .hasMessageContaining(value);
    }

    static Stream<Arguments> nullValues() {
        return Stream.of(
                Arguments.of("delay", (ThrowingCallable) () -> Backoff.fixed(null)),
                Arguments.of("initial", (ThrowingCallable) () -> Backoff.linear(null, ONE_S, ONE_S)),
                Arguments.of("increment", (ThrowingCallable) () -> Backoff.linear(ONE_S, null, ONE_S)),
                Arguments.of("max", (ThrowingCallable) () -> Backoff.linear(ONE_S, ONE_S, null)),
                Arguments.of("initial", (ThrowingCallable) () -> Backoff.exponential(null, 2.0, ONE_S)),
                Arguments.of("max", (ThrowingCallable) () -> Backoff.exponential(ONE_S, 2.0, null)),
                Arguments.of("jitter", (ThrowingCallable) () -> Backoff.fixed(ONE_S).withJitter(null)),
                Arguments.of("maxTotalDuration", (ThrowingCallable) () -> RetryPolicy.builder().maxTotalDuration(null)),
                Arguments.of("retryOn", (ThrowingCallable) () -> RetryPolicy.builder().retryOn(null)),
                Arguments.of("retryOnResult", (ThrowingCallable) () -> RetryPolicy.builder().retryOnResult(null)),
                Arguments.of("backoff", (ThrowingCallable) () -> RetryPolicy.builder().backoff(null)),
                Arguments.of("delayHint", (ThrowingCallable) () -> RetryPolicy.builder().delayHint(null)),
                Arguments.of("maxDelayHint", (ThrowingCallable) () -> RetryPolicy.builder().maxDelayHint(null)),
                Arguments.of("random", (ThrowingCallable) () -> RetryPolicy.builder().random(null)),
                Arguments.of("clock", (ThrowingCallable) () -> RetryPolicy.builder().clock(null)),
                Arguments.of("window", (ThrowingCallable) () -> RetryBudget.builder().window(null)),
                Arguments.of("clock", (ThrowingCallable) () -> RetryBudget.builder().clock(null)),
                Arguments.of("lastError", (ThrowingCallable) () -> new RetryExhaustedException(1, null, List.of())),
                Arguments.of("earlierErrors",
                        (ThrowingCallable) () -> new RetryExhaustedException(1, new RuntimeException(), null)),
                Arguments.of("earlierErrors", (ThrowingCallable) () -> RetryExhaustedException.ofResult(1, "x", null)));
    }

    @ParameterizedTest(name = "{0} = null")
    @MethodSource("nullValues")
    void nullIsRejectedWithTheOptionName(String option, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(NullPointerException.class).hasMessage(option);
    }

    @Test
    void messagesReadNaturally() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0)).hasMessage("maxAttempts must be >= 1, was 0");
        assertThatThrownBy(() -> RetryPolicy.builder().maxTotalDuration(Duration.ZERO))
                .hasMessage("maxTotalDuration must be > 0, was PT0S");
        assertThatThrownBy(() -> Backoff.linear(ONE_S, ONE_S, Duration.ofMillis(500)))
                .hasMessage("max must be >= initial (PT1S), was PT0.5S");
        assertThatThrownBy(() -> Jitter.factor(1.5)).hasMessage("factor must be in (0, 1], was 1.5");
    }

    @Test
    void aRejectedValueLeavesTheBuilderUnchanged() {
        RetryPolicy.Builder policy = RetryPolicy.builder().maxAttempts(4).maxDelayHint(Duration.ofSeconds(2));
        assertThatThrownBy(() -> policy.maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy.maxDelayHint(NEG)).isInstanceOf(IllegalArgumentException.class);
        assertThat(policy.build().maxAttempts()).isEqualTo(4);
        assertThat(policy.build().maxDelayHint()).isEqualTo(Duration.ofSeconds(2));

        RetryBudget.Builder budget = RetryBudget.builder().ratio(0.5).window(Duration.ofSeconds(4));
        assertThatThrownBy(() -> budget.ratio(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget.window(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        RetryBudget built = budget.build();
        assertThat(built.ratio()).isEqualTo(0.5);
        assertThat(built.window()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void boundaryValuesAreAccepted() {
        assertThat(Backoff.fixed(Duration.ZERO).maxDelay()).isZero();
        assertThat(Backoff.fixed(Duration.ofNanos(Long.MAX_VALUE)).maxDelay()).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
        assertThat(Backoff.linear(Duration.ZERO, Duration.ofNanos(1), Duration.ofNanos(1)).maxDelay()).isEqualTo(Duration.ofNanos(1));
        assertThat(Backoff.exponential(ONE_S, 1.0, ONE_S).maxDelay()).isEqualTo(ONE_S);
        assertThat(Jitter.factor(1.0)).isNotNull();
        assertThat(Jitter.factor(Double.MIN_VALUE)).isNotNull();
        assertThat(RetryPolicy.builder().maxAttempts(1).maxAttempts(Integer.MAX_VALUE).build().maxAttempts())
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(RetryPolicy.builder().maxTotalDuration(Duration.ofNanos(1)).build().maxTotalDuration())
                .contains(Duration.ofNanos(1));
        assertThat(RetryBudget.builder().ratio(0.0).ratio(10.0).minRetriesPerSecond(0)
                .window(Duration.ofMillis(1)).build().window()).isEqualTo(Duration.ofMillis(1));
    }
}
