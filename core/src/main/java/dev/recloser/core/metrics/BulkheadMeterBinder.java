package dev.recloser.core.metrics;

import dev.recloser.core.Bulkhead;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Publishes a {@link Bulkhead} to Micrometer, tagged {@code name}:
 * {@code recloser.bulkhead.available.permits} and {@code recloser.bulkhead.max.concurrent.calls}
 * gauges, and the {@code recloser.bulkhead.rejected} counter (read from the bulkhead at scrape
 * time: nothing is added to the call path). Thread-safe.
 */
@SuppressWarnings("exports") // Micrometer is optional (requires static): its types appear here by design
public final class BulkheadMeterBinder implements MeterBinder {

    private final Bulkhead bulkhead;

    private BulkheadMeterBinder(Bulkhead bulkhead) {
        this.bulkhead = Objects.requireNonNull(bulkhead, "bulkhead");
    }

    /** A binder for {@code bulkhead}. */
    public static BulkheadMeterBinder of(Bulkhead bulkhead) {
        return new BulkheadMeterBinder(bulkhead);
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        Gauge.builder("recloser.bulkhead.available.permits", bulkhead, Bulkhead::availablePermits)
                .tag("name", bulkhead.name()).description("Free permits of the bulkhead")
                .strongReference(true).register(meters);
        Gauge.builder("recloser.bulkhead.max.concurrent.calls", bulkhead, Bulkhead::maxConcurrentCalls)
                .tag("name", bulkhead.name()).description("Permits of the bulkhead")
                .strongReference(true).register(meters);
        FunctionCounter.builder("recloser.bulkhead.rejected", bulkhead, Bulkhead::rejectedCalls)
                .tag("name", bulkhead.name()).description("Calls rejected because the bulkhead was full")
                .register(meters);
    }
}
