package dev.recloser.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recloser.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcurrencyLimiterTest {

    private final ManualClock clock = new ManualClock();

    private ConcurrencyLimiter aimd(int initial) {
        return ConcurrencyLimiter.of("inventory", ConcurrencyLimitConfig.builder().clock(clock)
                .algorithm(AimdLimit.builder().initialLimit(initial).minLimit(1).maxLimit(100).build())
                .window(Duration.ofSeconds(1)).minSamples(2).build());
    }

    @Test
    void admitsUpToTheLimitThenRejectsWithoutWaiting() {
        ConcurrencyLimiter l = aimd(3);
        List<Long> permits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long p = l.tryAcquire();
            assertThat(p).isNotEqualTo(ConcurrencyLimiter.NO_PERMIT);
            permits.add(p);
        }
        assertThat(l.tryAcquire()).isEqualTo(ConcurrencyLimiter.NO_PERMIT);
        assertThat(l.tryAcquire()).isEqualTo(ConcurrencyLimiter.NO_PERMIT);
        assertThat(l.inFlight()).isEqualTo(3);
        assertThat(l.rejectedCalls()).isEqualTo(2);

        l.onIgnore(permits.get(0));
        assertThat(l.inFlight()).isEqualTo(2);
        assertThat(l.tryAcquire()).isNotEqualTo(ConcurrencyLimiter.NO_PERMIT);
    }

    @Test
    void thePermitIsTheStartTimeOnTheConfiguredClock() {
        ConcurrencyLimiter l = aimd(3);
        assertThat(l.tryAcquire()).isEqualTo(clock.nanoTime());
    }

    @Test
    void aSettleWithoutAPermitIsRejectedAndLeavesTheCountAlone() {
        ConcurrencyLimiter l = aimd(3);
        long p = l.tryAcquire();
        l.onSuccess(p);
        assertThatThrownBy(() -> l.onSuccess(p)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'inventory'");
        assertThatThrownBy(() -> l.onIgnore(p)).isInstanceOf(IllegalStateException.class);
        assertThat(l.inFlight()).isZero();
    }

    @Test
    void theRejectionIsStacklessAndCarriesNameAndLimit() {
        ConcurrencyLimiter l = aimd(7);
        LimitExceededException e = l.limitExceeded();
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.limiterName()).isEqualTo("inventory");
        assertThat(e.limit()).isEqualTo(7);
        assertThat(e).hasMessage("ConcurrencyLimiter 'inventory' is at its limit of 7 concurrent calls");
        e.addSuppressed(new RuntimeException());
        assertThat(e.getSuppressed()).isEmpty();
    }

    /** One call of {@code rttMillis} on the manual clock, settled as a success or a drop. */
    private void call(ConcurrencyLimiter l, long rttMillis, boolean drop) {
        long p = l.tryAcquire();
        assertThat(p).isNotEqualTo(ConcurrencyLimiter.NO_PERMIT);
        clock.advance(Duration.ofMillis(rttMillis));
        if (drop) {
            l.onDropped(p);
        } else {
            l.onSuccess(p);
        }
    }

    @Test
    void theLimitMovesOncePerWindowAtTheFirstReleaseAfterItsEnd() {
        ConcurrencyLimiter l = aimd(2);
        long held = l.tryAcquire(); // in flight 1 of 2: the limit is in use, AIMD may grow
        call(l, 100, false);
        call(l, 100, false);
        assertThat(l.windows()).isZero();
        assertThat(l.limit()).isEqualTo(2);
        clock.advance(Duration.ofMillis(800)); // the window of 1 s has ended, nothing released yet
        assertThat(l.limit()).isEqualTo(2);
        call(l, 10, false); // this release closes it
        assertThat(l.windows()).isEqualTo(1);
        assertThat(l.limit()).isEqualTo(3);
        assertThat(l.latencyNanos()).isEqualTo(Duration.ofMillis(70).toNanos()); // (100 + 100 + 10) / 3
        call(l, 10, false);
        assertThat(l.limit()).isEqualTo(3); // the next window is still open
        l.onSuccess(held);
    }

    @Test
    void aDropShrinksTheLimitMultiplicatively() {
        ConcurrencyLimiter l = aimd(20);
        call(l, 10, false);
        call(l, 10, true);
        clock.advance(Duration.ofSeconds(1));
        call(l, 10, false);
        assertThat(l.limit()).isEqualTo(18); // 20 * 0.9
    }

    @Test
    void aCallSlowerThanAimdsTimeoutIsADrop() {
        ConcurrencyLimiter l = ConcurrencyLimiter.of("x", ConcurrencyLimitConfig.builder().clock(clock)
                .algorithm(AimdLimit.builder().initialLimit(20).timeout(Duration.ofMillis(50)).build())
                .minSamples(1).build());
        call(l, 60, false);
        clock.advance(Duration.ofSeconds(1));
        call(l, 1, false);
        assertThat(l.limit()).isEqualTo(20); // min limit 20: 18 is clamped back up
        ConcurrencyLimiter m = ConcurrencyLimiter.of("y", ConcurrencyLimitConfig.builder().clock(clock)
                .algorithm(AimdLimit.builder().initialLimit(30).timeout(Duration.ofMillis(50)).build())
                .minSamples(1).build());
        call(m, 60, false);
        clock.advance(Duration.ofSeconds(1));
        call(m, 1, false);
        assertThat(m.limit()).isEqualTo(27);
    }

    @Test
    void aWindowWithTooFewSamplesClosesWithoutMovingTheLimit() {
        ConcurrencyLimiter l = aimd(2);
        long held = l.tryAcquire();
        clock.advance(Duration.ofSeconds(2));
        call(l, 10, false); // one sample < minSamples 2
        assertThat(l.windows()).isEqualTo(1);
        assertThat(l.limit()).isEqualTo(2);
        assertThat(l.latencyNanos()).isZero();
        l.onIgnore(held);
    }

    @Test
    void callsFasterThanTheThresholdAreNotSampled() {
        ConcurrencyLimiter l = ConcurrencyLimiter.of("x", ConcurrencyLimitConfig.builder().clock(clock)
                .algorithm(AimdLimit.builder().initialLimit(2).minLimit(1).build())
                .minRttThreshold(Duration.ofMillis(1)).minSamples(2).build());
        long held = l.tryAcquire();
        for (int i = 0; i < 10; i++) {
            long p = l.tryAcquire();
            clock.advanceNanos(999_999);
            l.onSuccess(p);
        }
        clock.advance(Duration.ofSeconds(1));
        long p = l.tryAcquire();
        l.onSuccess(p); // rtt 0: not sampled either
        assertThat(l.windows()).isEqualTo(1);
        assertThat(l.limit()).isEqualTo(2); // no window fed the algorithm
        l.onIgnore(held);
    }

    @Test
    void ignoredPermitsAreReleasedWithoutASample() {
        ConcurrencyLimiter l = aimd(2);
        long held = l.tryAcquire();
        for (int i = 0; i < 5; i++) {
            long p = l.tryAcquire();
            clock.advance(Duration.ofMillis(10));
            l.onIgnore(p);
        }
        clock.advance(Duration.ofSeconds(1));
        call(l, 10, false);
        assertThat(l.limit()).isEqualTo(2); // one sample only: the ignored ones did not count
        l.onIgnore(held);
    }

    @Test
    void aWindowLastsTwiceTheSmallestLatencyWithinItsBounds() {
        ConcurrencyLimiter l = ConcurrencyLimiter.of("x", ConcurrencyLimitConfig.builder().clock(clock)
                .algorithm(AimdLimit.builder().initialLimit(2).minLimit(1).build())
                .minWindow(Duration.ofMillis(100)).maxWindow(Duration.ofSeconds(10)).minSamples(1).build());
        call(l, 300, false); // window 0 (100 ms) over: closed; min rtt 300 ms -> next window 600 ms
        assertThat(l.windows()).isEqualTo(1);
        clock.advance(Duration.ofMillis(500));
        call(l, 50, false); // 550 ms into the window of 600 ms
        assertThat(l.windows()).isEqualTo(1);
        call(l, 50, false);
        assertThat(l.windows()).isEqualTo(2);
    }

    @Test
    void settersRejectBadValuesNamingOptionAndValue() {
        assertThatThrownBy(() -> ConcurrencyLimiter.of(" ", ConcurrencyLimitConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> ConcurrencyLimitConfig.builder().minWindow(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("minWindow must be positive, was PT0S");
        assertThatThrownBy(() -> ConcurrencyLimitConfig.builder().maxWindow(Duration.ofMillis(-1)))
                .hasMessage("maxWindow must be positive, was PT-0.001S");
        assertThatThrownBy(() -> ConcurrencyLimitConfig.builder().window(Duration.ZERO))
                .hasMessage("window must be positive, was PT0S");
        assertThatThrownBy(() -> ConcurrencyLimitConfig.builder().minSamples(0))
                .hasMessage("minSamples must be >= 1, was 0");
        assertThatThrownBy(() -> ConcurrencyLimitConfig.builder().minRttThreshold(Duration.ofNanos(-1)))
                .hasMessage("minRttThreshold must not be negative, was PT-0.000000001S");
        assertThatThrownBy(() -> ConcurrencyLimitConfig.builder().minWindow(Duration.ofSeconds(2)).build())
                .hasMessage("minWindow (PT2S) must be <= maxWindow (PT1S)");
        assertThatThrownBy(() -> ConcurrencyLimitConfig.builder().algorithm(null))
                .isInstanceOf(NullPointerException.class).hasMessage("algorithm");

        assertThatThrownBy(() -> AimdLimit.builder().initialLimit(0)).hasMessage("initialLimit must be >= 1, was 0");
        assertThatThrownBy(() -> AimdLimit.builder().minLimit(0)).hasMessage("minLimit must be >= 1, was 0");
        assertThatThrownBy(() -> AimdLimit.builder().maxLimit(-3)).hasMessage("maxLimit must be >= 1, was -3");
        assertThatThrownBy(() -> AimdLimit.builder().backoffRatio(1.0))
                .hasMessage("backoffRatio must be in [0.5, 1.0), was 1.0");
        assertThatThrownBy(() -> AimdLimit.builder().backoffRatio(Double.NaN))
                .hasMessage("backoffRatio must be in [0.5, 1.0), was NaN");
        assertThatThrownBy(() -> AimdLimit.builder().timeout(Duration.ZERO)).hasMessage("timeout must be positive, was PT0S");
        assertThatThrownBy(() -> AimdLimit.builder().initialLimit(10).build())
                .hasMessage("AimdLimit: initialLimit must be in [minLimit, maxLimit] = [20, 200], was 10");
        assertThatThrownBy(() -> AimdLimit.builder().minLimit(300).initialLimit(300).build())
                .hasMessage("AimdLimit: minLimit (300) must be <= maxLimit (200)");

        assertThatThrownBy(() -> VegasLimit.builder().alphaFactor(0)).hasMessage("alphaFactor must be >= 1, was 0");
        assertThatThrownBy(() -> VegasLimit.builder().betaFactor(0)).hasMessage("betaFactor must be >= 1, was 0");
        assertThatThrownBy(() -> VegasLimit.builder().smoothing(0)).hasMessage("smoothing must be in (0, 1], was 0.0");
        assertThatThrownBy(() -> VegasLimit.builder().probeMultiplier(0)).hasMessage("probeMultiplier must be >= 1, was 0");
        assertThatThrownBy(() -> VegasLimit.builder().alphaFactor(6).build())
                .hasMessage("VegasLimit: alphaFactor (6) must be < betaFactor (6)");
        assertThatThrownBy(() -> VegasLimit.builder().initialLimit(2000).build())
                .hasMessage("VegasLimit: initialLimit must be in [minLimit, maxLimit] = [1, 1000], was 2000");

        assertThatThrownBy(() -> Gradient2Limit.builder().smoothing(1.5)).hasMessage("smoothing must be in (0, 1], was 1.5");
        assertThatThrownBy(() -> Gradient2Limit.builder().queueSize(-1)).hasMessage("queueSize must be >= 0, was -1");
        assertThatThrownBy(() -> Gradient2Limit.builder().longWindow(0)).hasMessage("longWindow must be >= 1, was 0");
        assertThatThrownBy(() -> Gradient2Limit.builder().rttTolerance(0.9))
                .hasMessageStartingWith("rttTolerance must be in [1.0, ").hasMessageEndingWith("], was 0.9");
    }

    @Test
    void defaultsAreNetflixsPublishedOnes() {
        AimdLimit a = AimdLimit.defaults();
        assertThat(List.of(a.initialLimit(), a.minLimit(), a.maxLimit())).containsExactly(20, 20, 200);
        assertThat(a.backoffRatio()).isEqualTo(0.9);
        assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(5));
        VegasLimit v = VegasLimit.defaults();
        assertThat(List.of(v.initialLimit(), v.minLimit(), v.maxLimit(), v.alphaFactor(), v.betaFactor(),
                v.probeMultiplier())).containsExactly(20, 1, 1000, 3, 6, 30);
        assertThat(v.smoothing()).isEqualTo(1.0);
        Gradient2Limit g = Gradient2Limit.defaults();
        assertThat(List.of(g.initialLimit(), g.minLimit(), g.maxLimit(), g.queueSize(), g.longWindow()))
                .containsExactly(20, 20, 200, 4, 600);
        assertThat(g.smoothing()).isEqualTo(0.2);
        assertThat(g.rttTolerance()).isEqualTo(1.5);
        ConcurrencyLimitConfig c = ConcurrencyLimitConfig.defaults();
        assertThat(c.algorithm()).isSameAs(VegasLimit.defaults());
        assertThat(c.minWindow()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.maxWindow()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.minSamples()).isEqualTo(10);
        assertThat(c.minRttThreshold()).isEqualTo(Duration.ofNanos(100_000));
        assertThat(ConcurrencyLimiter.ofDefaults("d").limit()).isEqualTo(20);
    }

    @Test
    void toBuilderKeepsEverySetting() {
        VegasLimit v = VegasLimit.builder().initialLimit(7).minLimit(2).maxLimit(70).alphaFactor(2).betaFactor(5)
                .smoothing(0.5).probeMultiplier(10).build();
        assertThat(v.toBuilder().build()).hasToString(v.toString());
        Gradient2Limit g = Gradient2Limit.builder().initialLimit(7).minLimit(2).maxLimit(70).smoothing(0.5)
                .queueSize(2).longWindow(60).rttTolerance(2.0).build();
        assertThat(g.toBuilder().build()).hasToString(g.toString());
        AimdLimit a = AimdLimit.builder().initialLimit(7).minLimit(2).maxLimit(70).backoffRatio(0.5)
                .timeout(Duration.ofMillis(3)).build();
        assertThat(a.toBuilder().build()).hasToString(a.toString());
        ConcurrencyLimitConfig c = ConcurrencyLimitConfig.builder().algorithm(a).minWindow(Duration.ofMillis(200))
                .maxWindow(Duration.ofSeconds(3)).minSamples(4).minRttThreshold(Duration.ZERO).clock(clock).build();
        assertThat(c.toBuilder().build()).hasToString(c.toString());
    }
}
