package dev.recloser.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.testing.ManualClock;
import dev.recloser.core.NanoClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final IOException IO = new IOException("connection reset");

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    private static CallNotPermittedException open(Duration retryAfter) {
        return new CallNotPermittedException("inventory", CircuitBreaker.State.OPEN, retryAfter);
    }

    private static RetryPolicy.Builder fixed(long millis) {
        return RetryPolicy.builder().backoff(Backoff.fixed(Duration.ofMillis(millis)));
    }

    @Test
    void defaults() {
        RetryPolicy p = RetryPolicy.defaults();
        assertThat(p).isSameAs(RetryPolicy.defaults());
        assertThat(p.maxAttempts()).isEqualTo(3);
        assertThat(p.maxTotalDuration()).isEmpty();
        assertThat(p.backoff()).isEqualTo(
                Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5)).withJitter(Jitter.equal()));
        assertThat(p.maxDelayHint()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.waitForOpenBreaker()).isFalse();
        assertThat(p.clock()).isSameAs(NanoClock.system());
        assertThat(p.isRetryable(IO)).isTrue();
        assertThat(p.isRetryable(new TimeoutException())).isTrue();
        assertThat(p.isRetryableResult("anything")).isFalse();
        assertThat(p.delayHint().apply(IO)).isNull();
        assertThat(p.random().getAsDouble()).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
        assertThat(p.toString()).contains("maxAttempts=3", "maxTotalDuration=none", "Jitter.equal()");
        // Default delays: equal jitter over 100 ms, 200 ms, ...
        assertThat(p.nextDelayNanos(1, 0L, IO, 0L)).isBetween(ms(50), ms(100));
        assertThat(p.nextDelayNanos(2, 0L, IO, 0L)).isBetween(ms(100), ms(200));
        assertThat(p.nextDelayNanos(3, 0L, IO, 0L)).isEqualTo(RetryPolicy.STOP);
    }

    @Test
    void maxAttemptsCountsTheFirstAttempt() {
        RetryPolicy p = fixed(100).maxAttempts(4).build();
        assertThat(p.nextDelayNanos(1, 0L, IO, 0L)).isEqualTo(ms(100));
        assertThat(p.nextDelayNanos(2, 0L, IO, 0L)).isEqualTo(ms(100));
        assertThat(p.nextDelayNanos(3, 0L, IO, 0L)).isEqualTo(ms(100));
        assertThat(p.nextDelayNanos(4, 0L, IO, 0L)).isEqualTo(RetryPolicy.STOP);
        assertThat(p.nextDelayNanos(Integer.MAX_VALUE, 0L, IO, 0L)).isEqualTo(RetryPolicy.STOP);

        RetryPolicy once = fixed(100).maxAttempts(1).build();
        assertThat(once.nextDelayNanos(1, 0L, IO, 0L)).isEqualTo(RetryPolicy.STOP);
    }

    @Test
    void retryBelowOneIsRejected() {
        assertThatThrownBy(() -> RetryPolicy.defaults().nextDelayNanos(0, 0L, IO, 0L))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("retry must be >= 1, was 0");
    }

    @Test
    void theNextAttemptMustStartBeforeTheTotalDurationRunsOut() {
        RetryPolicy p = fixed(300).maxAttempts(100).maxTotalDuration(Duration.ofSeconds(1)).build();
        assertThat(p.maxTotalDuration()).contains(Duration.ofSeconds(1));
        assertThat(p.nextDelayNanos(1, 0L, IO, 0L)).isEqualTo(ms(300));
        assertThat(p.nextDelayNanos(1, 0L, IO, ms(699))).isEqualTo(ms(300));
        assertThat(p.nextDelayNanos(1, 0L, IO, ms(700) - 1)).isEqualTo(ms(300));
        assertThat(p.nextDelayNanos(1, 0L, IO, ms(700))).isEqualTo(RetryPolicy.STOP);
        assertThat(p.nextDelayNanos(1, 0L, IO, ms(5000))).isEqualTo(RetryPolicy.STOP);
        assertThat(p.nextDelayNanos(1, 0L, IO, Long.MAX_VALUE)).isEqualTo(RetryPolicy.STOP);
        // A negative elapsed time (a clock read out of order) counts as zero.
        assertThat(p.nextDelayNanos(1, 0L, IO, Long.MIN_VALUE)).isEqualTo(ms(300));
    }

    @Test
    void totalDurationOnAManualClockAsAnOperatorWouldRunIt() {
        ManualClock clock = new ManualClock();
        RetryPolicy p = fixed(300).maxAttempts(10).maxTotalDuration(Duration.ofSeconds(1)).clock(clock).build();
        long start = p.clock().nanoTime();
        int attempts = 0;
        long previous = 0L;
        List<Long> delays = new ArrayList<>();
        while (true) {
            attempts++;
            clock.advance(Duration.ofMillis(50)); // the attempt runs and fails
            long delay = p.nextDelayNanos(attempts, previous, IO, p.clock().nanoTime() - start);
            if (delay < 0) {
                break;
            }
            delays.add(delay);
            clock.advanceNanos(delay);
            previous = delay;
        }
        // Attempts start at 0, 350 and 700 ms; the third fails at 750 ms and 750 + 300 >= 1000.
        assertThat(attempts).isEqualTo(3);
        assertThat(delays).containsExactly(ms(300), ms(300));
    }

    @Test
    void noMaxTotalDurationRemovesTheBound() {
        RetryPolicy bounded = fixed(100).maxTotalDuration(Duration.ofMillis(50)).build();
        assertThat(bounded.nextDelayNanos(1, 0L, IO, 0L)).isEqualTo(RetryPolicy.STOP);
        RetryPolicy unbounded = bounded.toBuilder().noMaxTotalDuration().build();
        assertThat(unbounded.maxTotalDuration()).isEmpty();
        assertThat(unbounded.nextDelayNanos(1, 0L, IO, Long.MAX_VALUE)).isEqualTo(ms(100));
    }

    @Test
    void aHintBeatsTheBackoff() {
        Function<Object, Duration> retryAfter = f -> f instanceof IOException ? Duration.ofSeconds(2) : null;
        RetryPolicy p = fixed(100).delayHint(retryAfter).build();
        assertThat(p.nextDelayNanos(1, 0L, IO, 0L)).isEqualTo(ms(2000));
        assertThat(p.nextDelayNanos(1, 0L, new TimeoutException(), 0L)).isEqualTo(ms(100));
    }

    @Test
    void aHintIsCappedByMaxDelayHint() {
        RetryPolicy p = fixed(100).maxDelayHint(Duration.ofSeconds(5)).delayHint(f -> (Duration) f).build();
        assertThat(p.nextDelayNanos(1, 0L, Duration.ofSeconds(4), 0L)).isEqualTo(ms(4000));
        assertThat(p.nextDelayNanos(1, 0L, Duration.ofSeconds(5), 0L)).isEqualTo(ms(5000));
        assertThat(p.nextDelayNanos(1, 0L, Duration.ofHours(1), 0L)).isEqualTo(ms(5000));
        assertThat(p.nextDelayNanos(1, 0L, Duration.ofSeconds(Long.MAX_VALUE), 0L)).isEqualTo(ms(5000));
        assertThat(p.nextDelayNanos(1, 0L, Duration.ZERO, 0L)).isZero();
        // An HTTP date in the past.
        assertThat(p.nextDelayNanos(1, 0L, Duration.ofSeconds(-30), 0L)).isZero();
    }

    @Test
    void aHintStillObeysAttemptsAndTotalDuration() {
        RetryPolicy p = fixed(100).maxAttempts(2).maxTotalDuration(Duration.ofSeconds(3))
                .delayHint(f -> Duration.ofSeconds(2)).build();
        assertThat(p.nextDelayNanos(1, 0L, IO, 0L)).isEqualTo(ms(2000));
        assertThat(p.nextDelayNanos(1, 0L, IO, ms(1000))).isEqualTo(RetryPolicy.STOP);
        assertThat(p.nextDelayNanos(2, 0L, IO, 0L)).isEqualTo(RetryPolicy.STOP);
    }

    @Test
    void resultsAreRetriedOnlyWhenTheirPredicateMatchesAndMayCarryAHint() {
        RetryPolicy p = fixed(100)
                .retryOnResult(v -> v instanceof Integer && (Integer) v == 503)
                .delayHint(f -> Integer.valueOf(503).equals(f) ? Duration.ofSeconds(7) : null)
                .build();
        assertThat(p.isRetryableResult(503)).isTrue();
        assertThat(p.isRetryableResult(200)).isFalse();
        assertThat(p.isRetryableResult(null)).isFalse();
        assertThat(p.nextDelayNanos(1, 0L, 503, 0L)).isEqualTo(ms(7000));
    }

    @Test
    void retryOnSelectsErrors() {
        RetryPolicy p = RetryPolicy.builder().retryOn(e -> e instanceof IOException).build();
        assertThat(p.isRetryable(IO)).isTrue();
        assertThat(p.isRetryable(new IllegalStateException())).isFalse();
        assertThatThrownBy(() -> p.isRetryable(null)).isInstanceOf(NullPointerException.class).hasMessage("error");
    }

    @Test
    void anOpenBreakerIsNotRetriedByDefaultWhateverRetryOnSays() {
        CallNotPermittedException rejected = open(Duration.ofSeconds(1));
        assertThat(RetryPolicy.defaults().isRetryable(rejected)).isFalse();
        assertThat(RetryPolicy.builder().retryOn(e -> true).build().isRetryable(rejected)).isFalse();
    }

    @Test
    void waitForOpenBreakerRetriesAfterRetryAfterWhenItFits() {
        RetryPolicy p = fixed(100).maxAttempts(5).maxTotalDuration(Duration.ofSeconds(10))
                .waitForOpenBreaker(true)
                .retryOn(e -> false) // never asked about CallNotPermittedException
                .delayHint(f -> {
                    throw new AssertionError("the delay hint is not consulted for an open breaker");
                })
                .build();
        CallNotPermittedException rejected = open(Duration.ofSeconds(4));
        assertThat(p.isRetryable(rejected)).isTrue();
        assertThat(p.nextDelayNanos(1, 0L, rejected, 0L)).isEqualTo(ms(4000));
        assertThat(p.nextDelayNanos(1, 0L, rejected, ms(5999))).isEqualTo(ms(4000));
        // 6 s elapsed + 4 s wait does not start before the 10 s total.
        assertThat(p.nextDelayNanos(1, 0L, rejected, ms(6000))).isEqualTo(RetryPolicy.STOP);
        // Attempts still bound it.
        assertThat(p.nextDelayNanos(5, 0L, rejected, 0L)).isEqualTo(RetryPolicy.STOP);
    }

    @Test
    void waitForOpenBreakerNeverWaitsLessThanTheBackoff() {
        RetryPolicy p = fixed(100).waitForOpenBreaker(true).build();
        CallNotPermittedException halfOpenBusy =
                new CallNotPermittedException("inventory", CircuitBreaker.State.HALF_OPEN, Duration.ZERO);
        assertThat(p.nextDelayNanos(1, 0L, halfOpenBusy, 0L)).isEqualTo(ms(100));
        assertThat(p.nextDelayNanos(1, 0L, open(Duration.ofMillis(30)), 0L)).isEqualTo(ms(100));
        assertThat(p.nextDelayNanos(1, 0L, open(Duration.ofDays(365_000_000)), 0L)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void withoutAMaxTotalDurationAnOpenBreakerIsWaitedForHoweverLong() {
        RetryPolicy p = fixed(100).waitForOpenBreaker(true).build();
        assertThat(p.nextDelayNanos(1, 0L, open(Duration.ofMinutes(10)), 0L)).isEqualTo(Duration.ofMinutes(10).toNanos());
    }

    @Test
    void injectedRandomDrivesJitter() {
        RetryPolicy p = RetryPolicy.builder()
                .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5)).withJitter(Jitter.full()))
                .random(() -> 0.5)
                .build();
        assertThat(p.nextDelayNanos(1, 0L, IO, 0L)).isEqualTo(ms(50));
        assertThat(p.nextDelayNanos(2, 0L, IO, 0L)).isEqualTo(ms(100));
    }

    @Test
    void previousDelayReachesDecorrelatedJitter() {
        RetryPolicy p = RetryPolicy.builder().maxAttempts(10)
                .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5))
                        .withJitter(Jitter.decorrelated()))
                .random(() -> 0.5)
                .build();
        long first = p.nextDelayNanos(1, 0L, IO, 0L);
        assertThat(first).isEqualTo(ms(200));
        assertThat(p.nextDelayNanos(2, first, IO, 0L)).isEqualTo(ms(350));
    }

    @Test
    void toBuilderCopiesAndLeavesTheOriginalAlone() {
        ManualClock clock = new ManualClock();
        RetryPolicy original = fixed(100).maxAttempts(7).maxTotalDuration(Duration.ofSeconds(9))
                .waitForOpenBreaker(true).clock(clock).maxDelayHint(Duration.ofSeconds(3)).build();
        RetryPolicy copy = original.toBuilder().build();
        assertThat(copy.maxAttempts()).isEqualTo(7);
        assertThat(copy.maxTotalDuration()).contains(Duration.ofSeconds(9));
        assertThat(copy.waitForOpenBreaker()).isTrue();
        assertThat(copy.clock()).isSameAs(clock);
        assertThat(copy.maxDelayHint()).isEqualTo(Duration.ofSeconds(3));
        assertThat(copy.backoff()).isEqualTo(original.backoff());
        assertThat(copy.retryOn()).isSameAs(original.retryOn());
        assertThat(copy.retryOnResult()).isSameAs(original.retryOnResult());
        assertThat(copy.delayHint()).isSameAs(original.delayHint());
        assertThat(copy.random()).isSameAs(original.random());

        RetryPolicy changed = original.toBuilder().maxAttempts(2).build();
        assertThat(changed.maxAttempts()).isEqualTo(2);
        assertThat(original.maxAttempts()).isEqualTo(7);
    }

    @Test
    void aBuilderIsATemplate() {
        RetryPolicy.Builder builder = RetryPolicy.builder().maxAttempts(5);
        RetryPolicy first = builder.build();
        builder.maxAttempts(9);
        assertThat(first.maxAttempts()).isEqualTo(5);
        assertThat(builder.build().maxAttempts()).isEqualTo(9);
    }
}
