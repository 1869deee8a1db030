package dev.recloser.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.Bulkhead;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.testing.ManualClock;
import dev.recloser.testing.RaceSupport;
import dev.recloser.core.SlidingWindow;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CircuitBreakerMeterBinderTest {

    private final ManualClock clock = new ManualClock();
    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.builder()
            .clock(clock).slidingWindow(SlidingWindow.countBased(10)).minimumNumberOfCalls(4)
            .slowCallDurationThreshold(Duration.ofMillis(100)).openStateJitter(0)
            .waitDurationInOpenState(Duration.ofSeconds(10)).openStateBackoff(1, Duration.ofSeconds(10))
            .ignoreErrors(e -> e instanceof IllegalArgumentException).build());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private double count(String name, String... tags) {
        return meters.get(name).tags(tags).counter().count();
    }

    private double gauge(String name, String... tags) {
        return meters.get(name).tags(tags).gauge().value();
    }

    @Test
    void realCallsMoveTheCountersTimersAndGauges() {
        CircuitBreaker early = breakers.breaker("early"); // exists before binding
        CircuitBreakerMeterBinder.of(breakers).bindTo(meters);
        CircuitBreaker b = breakers.breaker("inventory"); // created after binding

        b.onSuccess(b.tryAcquirePermit(), TimeUnit.MILLISECONDS.toNanos(5));
        b.onSuccess(b.tryAcquirePermit(), TimeUnit.MILLISECONDS.toNanos(150));
        b.onError(b.tryAcquirePermit(), TimeUnit.MILLISECONDS.toNanos(5), new IllegalArgumentException());
        assertThat(gauge("recloser.circuitbreaker.failure.rate", "name", "inventory")).isNaN(); // 2 < minimum 4
        b.onError(b.tryAcquirePermit(), TimeUnit.MILLISECONDS.toNanos(5), new IOException());
        b.onError(b.tryAcquirePermit(), TimeUnit.MILLISECONDS.toNanos(500), new IOException());
        assertThat(b.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(b.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);

        assertThat(count("recloser.circuitbreaker.calls", "name", "inventory", "kind", "successful", "slow", "false")).isEqualTo(1);
        assertThat(count("recloser.circuitbreaker.calls", "name", "inventory", "kind", "successful", "slow", "true")).isEqualTo(1);
        assertThat(count("recloser.circuitbreaker.calls", "name", "inventory", "kind", "failed", "slow", "false")).isEqualTo(1);
        assertThat(count("recloser.circuitbreaker.calls", "name", "inventory", "kind", "failed", "slow", "true")).isEqualTo(1);
        assertThat(count("recloser.circuitbreaker.calls", "name", "inventory", "kind", "ignored", "slow", "false")).isEqualTo(1);
        assertThat(count("recloser.circuitbreaker.calls", "name", "inventory", "kind", "not_permitted", "slow", "false")).isEqualTo(1);
        assertThat(meters.get("recloser.circuitbreaker.call.duration").tags("name", "inventory", "kind", "failed")
                .timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(505);
        assertThat(count("recloser.circuitbreaker.transitions", "name", "inventory", "from", "closed", "to", "open")).isEqualTo(1);
        assertThat(gauge("recloser.circuitbreaker.failure.rate", "name", "inventory")).isEqualTo(50.0);
        assertThat(gauge("recloser.circuitbreaker.slow.call.rate", "name", "inventory")).isEqualTo(50.0);
        assertThat(gauge("recloser.circuitbreaker.buffered.calls", "name", "inventory")).isEqualTo(4);
        assertThat(gauge("recloser.circuitbreaker.state", "name", "inventory", "state", "open")).isEqualTo(1);
        assertThat(gauge("recloser.circuitbreaker.state", "name", "inventory", "state", "closed")).isZero();
        assertThat(gauge("recloser.circuitbreaker.state", "name", "early", "state", "closed")).isEqualTo(1);
        assertThat(early.state()).isEqualTo(CircuitBreaker.State.CLOSED);

        // Lazily read: once the wait has elapsed the gauge shows what the next call will see.
        clock.advance(Duration.ofSeconds(10));
        assertThat(b.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(gauge("recloser.circuitbreaker.state", "name", "inventory", "state", "half_open")).isEqualTo(1);
        assertThat(gauge("recloser.circuitbreaker.state", "name", "inventory", "state", "open")).isZero();
    }

    @Test
    void metersDisappearWithTheirBreakerAndExtraTagsApply() {
        CircuitBreakerMeterBinder.of(breakers).withTags(b -> Tags.of("host", b.name().replace("http:", ""))).bindTo(meters);
        CircuitBreaker b = breakers.breaker("http:api.example:443");
        b.transitionToForcedOpen();
        assertThat(meters.find("recloser.circuitbreaker.state").tags("host", "api.example:443").gauges()).hasSize(5);
        assertThat(meters.find("recloser.circuitbreaker.transitions").tags("name", "http:api.example:443").counters()).hasSize(1);
        breakers.remove(b);
        assertThat(meters.find("recloser.circuitbreaker.state").tags("name", "http:api.example:443").meters()).isEmpty();
        assertThat(meters.find("recloser.circuitbreaker.calls").tags("name", "http:api.example:443").meters()).isEmpty();
        assertThat(meters.find("recloser.circuitbreaker.transitions").tags("name", "http:api.example:443").meters()).isEmpty();
        b.onSuccess(b.tryAcquirePermit(), 1); // the listener was removed too: nothing is re-registered
        assertThat(meters.find("recloser.circuitbreaker.calls").meters()).isEmpty();
    }

    @Test
    void prometheusScrapeContainsTheDocumentedSeries() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CircuitBreakerMeterBinder.of(breakers).bindTo(prometheus);
        BulkheadMeterBinder.of(Bulkhead.of("db", 4)).bindTo(prometheus);
        CircuitBreaker b = breakers.breaker("orders");
        for (int i = 0; i < 4; i++) {
            b.onError(b.tryAcquirePermit(), 1, new IOException());
        }
        String scrape = prometheus.scrape();
        assertThat(scrape).contains(
                "recloser_circuitbreaker_state{name=\"orders\",state=\"open\"} 1",
                "recloser_circuitbreaker_calls_total{kind=\"failed\",name=\"orders\",slow=\"false\"} 4",
                "recloser_circuitbreaker_transitions_total{from=\"closed\",name=\"orders\",to=\"open\"} 1",
                "recloser_circuitbreaker_failure_rate_percent{name=\"orders\"} 100",
                "recloser_circuitbreaker_slow_call_rate_percent{name=\"orders\"} 0",
                "recloser_circuitbreaker_buffered_calls{name=\"orders\"} 4",
                "recloser_circuitbreaker_call_duration_seconds_count{kind=\"failed\",name=\"orders\"} 4",
                "recloser_bulkhead_available_permits{name=\"db\"} 4",
                "recloser_bulkhead_rejected_total{name=\"db\"} 0");
    }

    @Test
    void concurrentScrapesDuringLoadChangeNothingInTheBreakersCounts() throws InterruptedException {
        CircuitBreakerRegistry big = CircuitBreakerRegistry.of(CircuitBreakerConfig.builder()
                .slidingWindow(SlidingWindow.countBased(1_000_000)).minimumNumberOfCalls(1_000_000).build());
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CircuitBreakerMeterBinder.of(big).bindTo(prometheus);
        CircuitBreaker b = big.breaker("load");
        int perThread = RaceSupport.iterations() * 10;
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    long p = b.tryAcquirePermit();
                    if (i % 10 == 0) {
                        b.onError(p, 1, new IOException());
                    } else {
                        b.onSuccess(p, 1);
                    }
                }
            }));
        }
        Thread scraper = new Thread(() -> {
            while (!stop.get()) {
                prometheus.scrape();
            }
        });
        scraper.start();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(2));
        }
        stop.set(true);
        scraper.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(b.metrics().bufferedCalls()).isEqualTo(2L * perThread);
        assertThat(b.metrics().failedCalls()).isEqualTo(2L * perThread / 10);
        String scrape = prometheus.scrape();
        assertThat(scrape).contains("recloser_circuitbreaker_buffered_calls{name=\"load\"} " + (2 * perThread));
    }

    @Test
    void bindingTwiceOrWithTwoBindersCountsEveryCallOnce() {
        CircuitBreakerMeterBinder binder = CircuitBreakerMeterBinder.of(breakers);
        binder.bindTo(meters);
        binder.bindTo(meters);
        CircuitBreakerMeterBinder second = CircuitBreakerMeterBinder.of(breakers);
        second.bindTo(meters);
        CircuitBreaker b = breakers.breaker("twice");

        b.onSuccess(b.tryAcquirePermit(), 0);

        assertThat(count("recloser.circuitbreaker.calls", "name", "twice", "kind", "successful", "slow", "false")).isEqualTo(1);

        // Closing one binder leaves the other's meters counting; closing both removes them.
        binder.close();
        b.onSuccess(b.tryAcquirePermit(), 0);
        assertThat(count("recloser.circuitbreaker.calls", "name", "twice", "kind", "successful", "slow", "false")).isEqualTo(2);
        second.close();
        assertThat(meters.find("recloser.circuitbreaker.calls").tags("name", "twice").meters()).isEmpty();
        assertThat(meters.find("recloser.circuitbreaker.state").meters()).isEmpty();
        b.onSuccess(b.tryAcquirePermit(), 0); // no listener left: nothing to count, nothing thrown
        breakers.breaker("after-close");
        assertThat(meters.getMeters()).isEmpty();
    }

    @Test
    void aBinderCanBeBoundAgainAfterClose() {
        CircuitBreakerMeterBinder binder = CircuitBreakerMeterBinder.of(breakers);
        binder.bindTo(meters);
        binder.close();
        binder.bindTo(meters);
        CircuitBreaker b = breakers.breaker("again");
        b.onSuccess(b.tryAcquirePermit(), 0);
        assertThat(count("recloser.circuitbreaker.calls", "name", "again", "kind", "successful", "slow", "false")).isEqualTo(1);
    }

    @Test
    void theGaugesOfOneScrapeShareOneSnapshot() {
        CircuitBreakerMeterBinder.of(breakers).bindTo(meters);
        CircuitBreaker b = breakers.breaker("scraped");
        for (int i = 0; i < 4; i++) {
            b.onSuccess(b.tryAcquirePermit(), 0);
        }
        assertThat(gauge("recloser.circuitbreaker.buffered.calls", "name", "scraped")).isEqualTo(4);

        b.onError(b.tryAcquirePermit(), 0, new IOException()); // lands between two gauges of one scrape

        // Same scrape: the rate gauge has not read the snapshot yet, so it reads the one the
        // buffered-calls gauge took, and the two agree (4 calls, 0 failed).
        assertThat(gauge("recloser.circuitbreaker.failure.rate", "name", "scraped")).isEqualTo(0.0);
        // A gauge read again starts the next scrape with a fresh snapshot.
        assertThat(gauge("recloser.circuitbreaker.buffered.calls", "name", "scraped")).isEqualTo(5);
        assertThat(gauge("recloser.circuitbreaker.failure.rate", "name", "scraped")).isEqualTo(20.0);
    }

    @Test
    void breakerTagsAndRegistryDefaultTagsBecomeMeterTags() {
        CircuitBreakerRegistry tagged = CircuitBreakerRegistry.of(CircuitBreakerConfig.balanced(), java.util.Map.of("app", "shop"));
        CircuitBreakerMeterBinder.of(tagged).bindTo(meters);
        CircuitBreaker b = tagged.breaker("stock", CircuitBreakerConfig.balanced(), java.util.Map.of("team", "inventory"));

        b.onSuccess(b.tryAcquirePermit(), 0);

        assertThat(count("recloser.circuitbreaker.calls", "name", "stock", "app", "shop", "team", "inventory",
                "kind", "successful", "slow", "false")).isEqualTo(1);
    }

    @Test
    void metricsOnlyModeCountsShadowRejectionsUnderTheirOwnKind() {
        CircuitBreakerMeterBinder.of(breakers).bindTo(meters);
        CircuitBreaker b = breakers.breaker("shadow", breakers.defaultConfig().toBuilder().metricsOnly(true).build());
        b.transitionToForcedOpen();

        b.onSuccess(b.tryAcquirePermit(), 0);

        assertThat(count("recloser.circuitbreaker.calls", "name", "shadow", "kind", "shadow_rejected", "slow", "false")).isEqualTo(1);
        assertThat(count("recloser.circuitbreaker.calls", "name", "shadow", "kind", "not_permitted", "slow", "false")).isZero();
    }
}
