package dev.recloser.core.metrics;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerListener;
import dev.recloser.core.CircuitBreakerMetrics;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.ListenerRegistration;
import dev.recloser.core.StateTransition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Publishes the breakers of a {@link CircuitBreakerRegistry} to Micrometer, including breakers
 * created after binding; a breaker's meters are removed when it leaves the registry or when the
 * binder is {@linkplain #close() closed}.
 *
 * <p>Meters (every one tagged {@code name} = the breaker's name, then the breaker's own
 * {@linkplain CircuitBreaker#tags() tags}, then any extra tags):
 * <ul>
 *   <li>{@code recloser.circuitbreaker.state} gauge, tag {@code state}: 1 for the current state, 0
 *       for the others. An OPEN breaker whose wait has elapsed shows HALF_OPEN, which is what its
 *       next call will see.</li>
 *   <li>{@code recloser.circuitbreaker.calls} counter, tags {@code kind} = successful | failed |
 *       ignored | not_permitted | shadow_rejected (metrics-only mode: would have been rejected, ran)
 *       and {@code slow} = true | false (false for the last three).</li>
 *   <li>{@code recloser.circuitbreaker.call.duration} timer, tag {@code kind} = successful | failed.</li>
 *   <li>{@code recloser.circuitbreaker.transitions} counter, tags {@code from} and {@code to}.</li>
 *   <li>{@code recloser.circuitbreaker.failure.rate} and {@code recloser.circuitbreaker.slow.call.rate}
 *       gauges in percent: NaN (no value) while the window holds fewer than the minimum number of
 *       calls, never -1.</li>
 *   <li>{@code recloser.circuitbreaker.buffered.calls} gauge: outcomes in the sliding window.</li>
 * </ul>
 * Counters are updated by a breaker listener on the calling thread (Micrometer counters are
 * lock-free adders). Gauges only read: a scrape takes one {@link CircuitBreaker#metrics()} snapshot
 * per breaker, shared by all of that breaker's gauges (a new snapshot is taken when a gauge is read
 * a second time, i.e. by the next scrape), and taking it writes nothing the call path uses. A scrape
 * takes no lock and never slows the call path.
 *
 * <p>Binding is idempotent per breaker and meter registry: binding this binder twice to one meter
 * registry, or two binders of the same breakers to one meter registry, registers each breaker's
 * meters and listener once, so nothing is counted twice (the first binding's tags are the ones
 * used). {@link #close()} removes what this binder registered, once no other binder still holds it.
 * Prometheus wants every meter of one name to carry the same tag keys: give the breakers bound to
 * one meter registry the same tag keys.
 *
 * <p>Thread-safe. Bind to any number of meter registries.
 */
@SuppressWarnings("exports") // Micrometer is optional (requires static): its types appear here by design
public final class CircuitBreakerMeterBinder implements MeterBinder, AutoCloseable {

    static final String PREFIX = "recloser.circuitbreaker.";

    /**
     * Every live binding of a breaker to a meter registry, across binder instances, so that a second
     * binder of the same pair shares the first one's listener instead of counting again. Bindings
     * are rare (start-up, breaker creation): a concurrent map, no lock.
     */
    private static final Map<Pair, Binding> BINDINGS = new ConcurrentHashMap<>();

    private final CircuitBreakerRegistry breakers;
    private final Function<CircuitBreaker, Iterable<Tag>> extraTags;
    /** What this binder holds, per meter registry it was bound to. */
    private final Map<MeterRegistry, Bound> bound = new ConcurrentHashMap<>();

    private CircuitBreakerMeterBinder(CircuitBreakerRegistry breakers, Function<CircuitBreaker, Iterable<Tag>> extraTags) {
        this.breakers = Objects.requireNonNull(breakers, "registry");
        this.extraTags = Objects.requireNonNull(extraTags, "extraTags");
    }

    /** A binder for every breaker of {@code registry}. */
    public static CircuitBreakerMeterBinder of(CircuitBreakerRegistry registry) {
        return new CircuitBreakerMeterBinder(registry, b -> Tags.empty());
    }

    /**
     * A new binder that adds {@code extraTags.apply(breaker)} to every meter of a breaker, after the
     * breaker's own tags. The function must return the same tag keys for every breaker.
     */
    public CircuitBreakerMeterBinder withTags(Function<CircuitBreaker, Iterable<Tag>> extraTags) {
        return new CircuitBreakerMeterBinder(breakers, extraTags);
    }

    /** Binds every breaker of the registry, now and later; a second call for the same meter registry does nothing. */
    @Override
    public void bindTo(MeterRegistry meters) {
        Objects.requireNonNull(meters, "meterRegistry");
        Bound fresh = new Bound(meters);
        if (bound.putIfAbsent(meters, fresh) != null) {
            return;
        }
        fresh.registration = breakers.addRegistryListener(fresh, true);
    }

    /**
     * Removes this binder's listeners from the registry and its breakers, and the meters nobody else
     * binds. Idempotent; the binder may be bound again afterwards.
     */
    @Override
    public void close() {
        for (Bound b : List.copyOf(bound.values())) {
            bound.remove(b.meters, b);
            b.close();
        }
    }

    private Tags tagsOf(CircuitBreaker b) {
        Tags tags = Tags.of("name", b.name());
        for (Map.Entry<String, String> tag : b.tags().entrySet()) {
            tags = tags.and(tag.getKey(), tag.getValue());
        }
        return tags.and(extraTags.apply(b));
    }

    /** The identity of a breaker in a meter registry. */
    private record Pair(MeterRegistry meters, CircuitBreaker breaker) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pair p && p.meters == meters && p.breaker == breaker;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(meters) + System.identityHashCode(breaker);
        }
    }

    /** This binder's hold on one meter registry: the breakers it bound there. */
    private final class Bound implements CircuitBreakerRegistry.RegistryListener {
        final MeterRegistry meters;
        final Set<CircuitBreaker> held = ConcurrentHashMap.newKeySet();
        volatile ListenerRegistration registration;
        volatile boolean closed;

        Bound(MeterRegistry meters) {
            this.meters = meters;
        }

        @Override
        public void onAdded(CircuitBreaker breaker) {
            if (closed || !held.add(breaker)) {
                return;
            }
            BINDINGS.compute(new Pair(meters, breaker), (pair, existing) -> {
                if (existing != null && existing.retain()) {
                    return existing;
                }
                return new Binding(breaker, meters, tagsOf(breaker));
            });
        }

        @Override
        public void onRemoved(CircuitBreaker breaker) {
            if (held.remove(breaker)) {
                release(breaker);
            }
        }

        private void release(CircuitBreaker breaker) {
            BINDINGS.computeIfPresent(new Pair(meters, breaker), (pair, binding) -> binding.release() ? null : binding);
        }

        void close() {
            closed = true;
            ListenerRegistration r = registration;
            if (r != null) {
                r.remove();
            }
            for (CircuitBreaker b : List.copyOf(held)) {
                onRemoved(b);
            }
        }
    }

    /**
     * The meters of one breaker in one meter registry, and the listener that feeds them. Reference
     * counted by the binders that hold it; changed only inside {@code BINDINGS.compute}, which
     * serialises retain and release per pair.
     */
    private static final class Binding implements CircuitBreakerListener {

        private static final int STATE_GAUGES = CircuitBreaker.State.values().length;
        private static final int FAILURE_RATE_BIT = 1 << STATE_GAUGES;
        private static final int SLOW_RATE_BIT = FAILURE_RATE_BIT << 1;
        private static final int BUFFERED_BIT = SLOW_RATE_BIT << 1;

        /** How long a scrape may take: a snapshot older than this is never shared. */
        private static final long SCRAPE_NANOS = TimeUnit.SECONDS.toNanos(1);

        private final CircuitBreaker breaker;
        private final dev.recloser.core.NanoClock clock;
        private final MeterRegistry meters;
        private final Tags tags;
        private final List<Meter> owned = new ArrayList<>();
        private final Counter successful;
        private final Counter successfulSlow;
        private final Counter failed;
        private final Counter failedSlow;
        private final Counter ignored;
        private final Counter notPermitted;
        private final Counter shadowRejected;
        private final Timer successfulDuration;
        private final Timer failedDuration;
        private final ListenerRegistration registration;
        private int holders = 1;
        /** The snapshot the gauges of the current scrape share; see {@link #snapshot(int)}. */
        private volatile Snapshot snapshot;

        Binding(CircuitBreaker breaker, MeterRegistry meters, Tags tags) {
            this.breaker = breaker;
            this.clock = breaker.config().clock();
            this.meters = meters;
            this.tags = tags;
            CircuitBreaker.State[] states = CircuitBreaker.State.values();
            for (int i = 0; i < states.length; i++) {
                CircuitBreaker.State state = states[i];
                int bit = 1 << i;
                owned.add(Gauge.builder(PREFIX + "state", this, b -> effectiveState(b.snapshot(bit)) == state ? 1 : 0)
                        .tags(tags).tag("state", state.name().toLowerCase(Locale.ROOT))
                        .description("1 for the breaker's current state, 0 for the others")
                        .strongReference(true).register(meters));
            }
            successful = calls("successful", "false");
            successfulSlow = calls("successful", "true");
            failed = calls("failed", "false");
            failedSlow = calls("failed", "true");
            ignored = calls("ignored", "false");
            notPermitted = calls("not_permitted", "false");
            shadowRejected = calls("shadow_rejected", "false");
            successfulDuration = duration("successful");
            failedDuration = duration("failed");
            owned.add(Gauge.builder(PREFIX + "failure.rate", this, b -> rate(b.snapshot(FAILURE_RATE_BIT), false))
                    .tags(tags).baseUnit("percent")
                    .description("Failed calls in the sliding window; no value below the minimum number of calls")
                    .strongReference(true).register(meters));
            owned.add(Gauge.builder(PREFIX + "slow.call.rate", this, b -> rate(b.snapshot(SLOW_RATE_BIT), true))
                    .tags(tags).baseUnit("percent")
                    .description("Slow calls in the sliding window; no value below the minimum number of calls")
                    .strongReference(true).register(meters));
            owned.add(Gauge.builder(PREFIX + "buffered.calls", this, b -> b.snapshot(BUFFERED_BIT).bufferedCalls())
                    .tags(tags).description("Outcomes in the sliding window").strongReference(true).register(meters));
            registration = breaker.addListener(this);
        }

        /** One more holder; false if this binding was closed meanwhile (then a new one is made). */
        boolean retain() {
            if (holders == 0) {
                return false;
            }
            holders++;
            return true;
        }

        /** One holder fewer; closes the binding and returns true when it was the last. */
        boolean release() {
            if (--holders > 0) {
                return false;
            }
            close();
            return true;
        }

        /**
         * The snapshot for the gauge with {@code bit}: the current one, unless that gauge has read it
         * already, which means a new scrape has begun, or it is older than a scrape can take (one
         * second on the breaker's clock, for a partial scrape). Each gauge is read once per scrape,
         * so every gauge of one scrape sees the same snapshot. The mask is a plain field: two scrapes racing
         * (two threads scraping one meter registry at once) at worst take one snapshot more.
         */
        CircuitBreakerMetrics snapshot(int bit) {
            Snapshot s = snapshot;
            long now = clock.nanoTime();
            if (s == null || (s.readMask & bit) != 0 || now - s.takenAtNanos >= SCRAPE_NANOS) {
                s = new Snapshot(breaker.metrics(), now);
                snapshot = s;
            }
            s.readMask |= bit;
            return s.metrics;
        }

        private Counter calls(String kind, String slow) {
            Counter c = Counter.builder(PREFIX + "calls").tags(tags).tag("kind", kind).tag("slow", slow)
                    .description("Calls through the circuit breaker by outcome").register(meters);
            owned.add(c);
            return c;
        }

        private Timer duration(String kind) {
            Timer t = Timer.builder(PREFIX + "call.duration").tags(tags).tag("kind", kind)
                    .description("Duration of calls through the circuit breaker").register(meters);
            owned.add(t);
            return t;
        }

        static CircuitBreaker.State effectiveState(CircuitBreakerMetrics m) {
            CircuitBreaker.State s = m.state();
            return s == CircuitBreaker.State.OPEN && m.remainingOpenDuration().isZero() ? CircuitBreaker.State.HALF_OPEN : s;
        }

        static double rate(CircuitBreakerMetrics m, boolean slow) {
            var rate = slow ? m.slowCallRate() : m.failureRate();
            return rate.isPresent() ? rate.getAsDouble() : Double.NaN;
        }

        @Override
        public void onSuccess(CircuitBreaker breaker, long durationNanos, boolean slow) {
            (slow ? successfulSlow : successful).increment();
            successfulDuration.record(durationNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void onFailure(CircuitBreaker breaker, long durationNanos, boolean slow, Throwable error, Object result) {
            (slow ? failedSlow : failed).increment();
            failedDuration.record(durationNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void onIgnoredError(CircuitBreaker breaker, long durationNanos, Throwable error) {
            ignored.increment();
        }

        @Override
        public void onCallNotPermitted(CircuitBreaker breaker, CircuitBreaker.State state) {
            notPermitted.increment();
        }

        @Override
        public void onShadowRejection(CircuitBreaker breaker, CircuitBreaker.State state) {
            shadowRejected.increment();
        }

        @Override
        public void onStateTransition(StateTransition t) {
            // Transitions are rare: look the counter up (and register it) when one happens.
            Counter c = Counter.builder(PREFIX + "transitions").tags(tags)
                    .tag("from", t.from().name().toLowerCase(Locale.ROOT)).tag("to", t.to().name().toLowerCase(Locale.ROOT))
                    .description("State transitions of the circuit breaker").register(meters);
            c.increment();
        }

        void close() {
            registration.remove();
            for (Meter m : owned) {
                meters.remove(m);
            }
            // Transition counters were registered lazily: find them by the breaker's tags.
            for (Meter m : List.copyOf(meters.find(PREFIX + "transitions").tags(tags).meters())) {
                meters.remove(m);
            }
        }
    }

    /** A metrics snapshot and the gauges that have read it. */
    private static final class Snapshot {
        final CircuitBreakerMetrics metrics;
        final long takenAtNanos;
        int readMask;

        Snapshot(CircuitBreakerMetrics metrics, long takenAtNanos) {
            this.metrics = metrics;
            this.takenAtNanos = takenAtNanos;
        }
    }
}
