package dev.recloser.redis;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Binds a fleet's counters as {@code recloser.fleet.*} meters, tagged {@code namespace} and
 * {@code instance}: gauges {@code connected} (1 or 0) and {@code members}; function counters
 * {@code verdicts.published}, {@code verdicts.followed}, {@code verdicts.ignored},
 * {@code leases.won}, {@code leases.lost}, {@code messages.dropped}, {@code store.errors}.
 * Needs micrometer-core (an optional dependency of this artifact). Meters read
 * {@link RedisFleet#stats()} when scraped; nothing is recorded on any call path.
 */
@SuppressWarnings("exports") // Micrometer is optional (requires static): its types appear here by design
public final class FleetMeterBinder implements MeterBinder {

    private final RedisFleet fleet;

    /** A binder for {@code fleet}. */
    public FleetMeterBinder(RedisFleet fleet) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String ns = fleet.namespace();
        String id = fleet.instanceId();
        Gauge.builder("recloser.fleet.connected", fleet, f -> f.connected() ? 1 : 0)
                .tags("namespace", ns, "instance", id).description("1 while the store answers heartbeats").register(registry);
        Gauge.builder("recloser.fleet.members", fleet, f -> f.stats().members())
                .tags("namespace", ns, "instance", id).description("live members at the last heartbeat").register(registry);
        counter(registry, "recloser.fleet.verdicts.published", s -> s.stats().verdictsPublished(), ns, id);
        counter(registry, "recloser.fleet.verdicts.followed", s -> s.stats().verdictsFollowed(), ns, id);
        counter(registry, "recloser.fleet.verdicts.ignored", s -> s.stats().verdictsIgnored(), ns, id);
        counter(registry, "recloser.fleet.leases.won", s -> s.stats().leasesWon(), ns, id);
        counter(registry, "recloser.fleet.leases.lost", s -> s.stats().leasesLost(), ns, id);
        counter(registry, "recloser.fleet.messages.dropped", s -> s.stats().messagesDropped(), ns, id);
        counter(registry, "recloser.fleet.store.errors", s -> s.stats().storeErrors(), ns, id);
    }

    private void counter(MeterRegistry registry, String name, ToDoubleFunction<RedisFleet> f, String ns, String id) {
        FunctionCounter.builder(name, fleet, f).tags("namespace", ns, "instance", id).register(registry);
    }
}
