package dev.recloser.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.testing.ManualClock;
import dev.recloser.core.limit.AimdLimit;
import dev.recloser.core.limit.ConcurrencyLimitConfig;
import dev.recloser.core.limit.ConcurrencyLimiter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyLimiterMeterBinderTest {

    @Test
    void publishesLimitInFlightLatencyAndRejectionsReadAtScrapeTime() {
        ManualClock clock = new ManualClock();
        ConcurrencyLimiter limiter = ConcurrencyLimiter.of("inventory", ConcurrencyLimitConfig.builder().clock(clock)
                .algorithm(AimdLimit.builder().initialLimit(2).minLimit(1).build()).minSamples(1).build());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ConcurrencyLimiterMeterBinder.of(limiter).withTags(Tags.of("service", "shop")).bindTo(meters);

        assertThat(meters.get("recloser.limit.limit").tags("name", "inventory", "service", "shop").gauge().value())
                .isEqualTo(2.0);
        long a = limiter.tryAcquire();
        long b = limiter.tryAcquire();
        assertThat(limiter.tryAcquire()).isEqualTo(ConcurrencyLimiter.NO_PERMIT);
        assertThat(meters.get("recloser.limit.in.flight").gauge().value()).isEqualTo(2.0);
        assertThat(meters.get("recloser.limit.rejected").functionCounter().count()).isEqualTo(1.0);
        assertThat(meters.get("recloser.limit.latency").timeGauge().value(TimeUnit.MILLISECONDS)).isZero();

        clock.advance(Duration.ofMillis(1500));
        limiter.onSuccess(a); // closes the first window: 1 sample of 1.5 s, in flight 2 of 2 -> AIMD grows
        assertThat(meters.get("recloser.limit.limit").gauge().value()).isEqualTo(3.0);
        assertThat(meters.get("recloser.limit.latency").timeGauge().value(TimeUnit.MILLISECONDS)).isEqualTo(1500.0);
        assertThat(meters.get("recloser.limit.in.flight").gauge().value()).isEqualTo(1.0);
        limiter.onIgnore(b);
        assertThat(meters.getMeters()).hasSize(4);
    }
}
