package dev.recloser.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recloser.testing.RaceSupport;
import dev.recloser.core.retry.RetryListener;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryMeterBinderTest {

    private static final String[] KINDS = {
        "successful_without_retry", "successful_with_retry", "failed_without_retry", "failed_with_retry"};

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private double calls(SimpleMeterRegistry registry, String name, String kind) {
        return registry.get("recloser.retry.calls").tags("name", name, "kind", kind).counter().count();
    }

    private double calls(String kind) {
        return calls(meters, "inventory", kind);
    }

    private DistributionSummary attempts(SimpleMeterRegistry registry) {
        return registry.get("recloser.retry.attempts").tags("name", "inventory").summary();
    }

    private double rejections(SimpleMeterRegistry registry) {
        return registry.get("recloser.retry.budget.rejections").tags("name", "inventory").counter().count();
    }

    @Test
    void bindingRegistersEveryMeterAtZero() {
        RetryMeterBinder binder = RetryMeterBinder.of("inventory");
        binder.bindTo(meters);

        assertThat(binder).isInstanceOf(RetryListener.class);
        assertThat(binder.name()).isEqualTo("inventory");
        for (String kind : KINDS) {
            assertThat(calls(kind)).as(kind).isZero();
        }
        assertThat(attempts(meters).count()).isZero();
        assertThat(rejections(meters)).isZero();
        List<String> ids = new ArrayList<>();
        for (Meter m : meters.getMeters()) {
            ids.add(m.getId().getName() + m.getId().getTags());
        }
        assertThat(ids).hasSize(6); // 4 call kinds, the summary, the rejections
        assertThat(meters.get("recloser.retry.calls").meters()).hasSize(4);
        assertThat(meters.get("recloser.retry.calls").tag("kind", "successful_without_retry").counter().getId()
                .getDescription()).isNotBlank();
    }

    @Test
    void listenerEventsMoveTheMeters() {
        RetryMeterBinder binder = RetryMeterBinder.of("inventory");
        binder.bindTo(meters);

        binder.onCallFinished(true, 1);
        binder.onRetryScheduled(2, 100);
        binder.onCallFinished(true, 2);
        binder.onRetryScheduled(2, 100);
        binder.onRetryScheduled(3, 100);
        binder.onCallFinished(true, 3);
        binder.onCallFinished(false, 1);
        binder.onCallFinished(false, 0); // failed before its first attempt
        binder.onRetryScheduled(2, 100);
        binder.onRetryScheduled(3, 100);
        binder.onCallFinished(false, 3);
        binder.onBudgetRejected();
        binder.onBudgetRejected();
        binder.onCallCancelled(2); // cancelled calls have no outcome

        assertThat(calls("successful_without_retry")).isEqualTo(1);
        assertThat(calls("successful_with_retry")).isEqualTo(2);
        assertThat(calls("failed_without_retry")).isEqualTo(2);
        assertThat(calls("failed_with_retry")).isEqualTo(1);
        assertThat(attempts(meters).count()).isEqualTo(6);
        assertThat(attempts(meters).totalAmount()).isEqualTo(1 + 2 + 3 + 1 + 0 + 3);
        assertThat(attempts(meters).max()).isEqualTo(3);
        assertThat(rejections(meters)).isEqualTo(2);
    }

    @Test
    void eventsBeforeBindingAreNotCountedAndBindingTwiceCountsOnce() {
        RetryMeterBinder binder = RetryMeterBinder.of("inventory");
        binder.onCallFinished(true, 1); // nowhere to go yet
        binder.onBudgetRejected();
        binder.bindTo(meters);
        binder.bindTo(meters); // idempotent
        binder.onCallFinished(true, 1);

        assertThat(calls("successful_without_retry")).isEqualTo(1);
        assertThat(rejections(meters)).isZero();
        assertThat(attempts(meters).count()).isEqualTo(1);
        assertThat(binder.toString()).contains("inventory").contains("registries=1");
        assertThatThrownBy(() -> binder.bindTo(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RetryMeterBinder.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void everyBoundRegistryMovesAndBindersAreTaggedByName() {
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        RetryMeterBinder inventory = RetryMeterBinder.of("inventory");
        inventory.bindTo(meters);
        inventory.bindTo(other);
        RetryMeterBinder payments = RetryMeterBinder.of("payments");
        payments.bindTo(meters);

        inventory.onCallFinished(false, 4);
        inventory.onBudgetRejected();
        payments.onCallFinished(true, 1);

        for (SimpleMeterRegistry r : List.of(meters, other)) {
            assertThat(calls(r, "inventory", "failed_with_retry")).isEqualTo(1);
            assertThat(attempts(r).totalAmount()).isEqualTo(4);
            assertThat(rejections(r)).isEqualTo(1);
        }
        assertThat(calls(meters, "payments", "successful_without_retry")).isEqualTo(1);
        assertThat(calls(meters, "inventory", "successful_without_retry")).isZero();
        assertThat(other.find("recloser.retry.calls").tag("name", "payments").meters()).isEmpty();
    }

    @Test
    void concurrentEventsAndBindsLoseNothing() throws InterruptedException {
        int threads = 4;
        int perThread = Math.max(1000, RaceSupport.iterations());
        RetryMeterBinder binder = RetryMeterBinder.of("inventory");
        binder.bindTo(meters);
        SimpleMeterRegistry late = new SimpleMeterRegistry();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    binder.onCallFinished(i % 2 == 0, 1 + i % 3);
                    binder.onBudgetRejected();
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        binder.bindTo(late); // a bind racing the events: whatever it sees, it breaks nothing
        for (Thread w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(w.isAlive()).isFalse();
        }
        long total = (long) threads * perThread;
        double finished = 0;
        for (String kind : KINDS) {
            finished += calls(kind);
        }
        assertThat(finished).isEqualTo(total);
        assertThat(attempts(meters).count()).isEqualTo(total);
        assertThat(rejections(meters)).isEqualTo(total);
        assertThat(rejections(late)).isBetween(0.0, (double) total);
    }

    @Test
    void prometheusScrapeShowsTheSeries() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RetryMeterBinder binder = RetryMeterBinder.of("inventory");
        binder.bindTo(prometheus);
        binder.onCallFinished(true, 1);
        binder.onCallFinished(true, 3);
        binder.onCallFinished(false, 2);
        binder.onBudgetRejected();

        String scrape = prometheus.scrape();
        assertThat(scrape)
                .contains("recloser_retry_calls_total{kind=\"successful_without_retry\",name=\"inventory\"} 1.0")
                .contains("recloser_retry_calls_total{kind=\"successful_with_retry\",name=\"inventory\"} 1.0")
                .contains("recloser_retry_calls_total{kind=\"failed_with_retry\",name=\"inventory\"} 1.0")
                .contains("recloser_retry_calls_total{kind=\"failed_without_retry\",name=\"inventory\"} 0.0")
                .contains("recloser_retry_attempts_count{name=\"inventory\"} 3")
                .contains("recloser_retry_attempts_sum{name=\"inventory\"} 6.0")
                .contains("recloser_retry_attempts_max{name=\"inventory\"} 3.0")
                .contains("recloser_retry_budget_rejections_total{name=\"inventory\"} 1.0");
    }
}
