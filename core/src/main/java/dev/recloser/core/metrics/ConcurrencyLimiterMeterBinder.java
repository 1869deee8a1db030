package dev.recloser.core.metrics;

import dev.recloser.core.limit.ConcurrencyLimiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a {@link ConcurrencyLimiter} to Micrometer, tagged {@code name} (plus any extra tags):
 * the gauges {@code recloser.limit.limit} (the current limit), {@code recloser.limit.in.flight}
 * (calls holding a permit) and {@code recloser.limit.latency} (seconds: the average latency of the
 * last window the algorithm used), and the counter {@code recloser.limit.rejected}. Every value is
 * read from the limiter at scrape time: nothing is added to the call path. Thread-safe.
 */
@SuppressWarnings("exports") // Micrometer is optional (requires static): its types appear here by design
public final class ConcurrencyLimiterMeterBinder implements MeterBinder {

    private final ConcurrencyLimiter limiter;
    private final Tags tags;

    private ConcurrencyLimiterMeterBinder(ConcurrencyLimiter limiter, Tags tags) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.tags = tags;
    }

    /** A binder for {@code limiter}, tagged with its name. */
    public static ConcurrencyLimiterMeterBinder of(ConcurrencyLimiter limiter) {
        return new ConcurrencyLimiterMeterBinder(limiter, Tags.of("name", limiter.name()));
    }

    /** A copy that adds {@code extra} to every meter's tags (e.g. the service it guards). */
    public ConcurrencyLimiterMeterBinder withTags(Iterable<Tag> extra) {
        return new ConcurrencyLimiterMeterBinder(limiter, tags.and(Objects.requireNonNull(extra, "tags")));
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        Gauge.builder("recloser.limit.limit", limiter, ConcurrencyLimiter::limit)
                .tags(tags).description("Current adaptive concurrency limit")
                .strongReference(true).register(meters);
        Gauge.builder("recloser.limit.in.flight", limiter, ConcurrencyLimiter::inFlight)
                .tags(tags).description("Calls holding a permit of the limiter")
                .strongReference(true).register(meters);
        TimeGauge.builder("recloser.limit.latency", limiter, TimeUnit.NANOSECONDS, l -> (double) l.latencyNanos())
                .tags(tags).description("Average latency of the last sample window the limit algorithm used")
                .strongReference(true).register(meters);
        FunctionCounter.builder("recloser.limit.rejected", limiter, ConcurrencyLimiter::rejectedCalls)
                .tags(tags).description("Calls rejected because the limit was reached")
                .register(meters);
    }
}
