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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Publishes the breakers of a {@link CircuitBreakerRegistry} to Micrometer, including breakers
 * created after binding; a breaker's meters are removed when it leaves the registry.
 *
 * <p>Meters (every one tagged {@code name} = the breaker's name, plus any extra tags):
 * <ul>
 *   <li>{@code recloser.circuitbreaker.state} gauge, tag {@code state}: 1 for the current state, 0
 *       for the others. Read lazily at scrape time, so an OPEN breaker whose wait has elapsed shows
 *       HALF_OPEN, which is what its next call will see.</li>
 *   <li>{@code recloser.circuitbreaker.calls} counter, tags {@code kind} = successful | failed |
 *       ignored | not_permitted and {@code slow} = true | false (false for ignored and
 *       not_permitted).</li>
 *   <li>{@code recloser.circuitbreaker.call.duration} timer, tag {@code kind} = successful | failed.</li>
 *   <li>{@code recloser.circuitbreaker.transitions} counter, tags {@code from} and {@code to}.</li>
 *   <li>{@code recloser.circuitbreaker.failure.rate} and {@code recloser.circuitbreaker.slow.call.rate}
 *       gauges in percent: NaN (no value) while the window holds fewer than the minimum number of
 *       calls, never -1.</li>
 *   <li>{@code recloser.circuitbreaker.buffered.calls} gauge: outcomes in the sliding window.</li>
 * </ul>
 * Counters are updated by a breaker listener on the calling thread (Micrometer counters are
 * lock-free adders); gauges read immutable breaker snapshots: a scrape takes no lock and never
 * slows the call path.
 *
 * <p>Thread-safe. Bind to any number of meter registries.
 */
@SuppressWarnings("exports") // Micrometer is optional (requires static): its types appear here by design
public final class CircuitBreakerMeterBinder implements MeterBinder {

    static final String PREFIX = "recloser.circuitbreaker.";

    private final CircuitBreakerRegistry breakers;
    private final Function<CircuitBreaker, Iterable<Tag>> extraTags;

    private CircuitBreakerMeterBinder(CircuitBreakerRegistry breakers, Function<CircuitBreaker, Iterable<Tag>> extraTags) {
        this.breakers = Objects.requireNonNull(breakers, "registry");
        this.extraTags = Objects.requireNonNull(extraTags, "extraTags");
    }

    /** A binder for every breaker of {@code registry}. */
    public static CircuitBreakerMeterBinder of(CircuitBreakerRegistry registry) {
        return new CircuitBreakerMeterBinder(registry, b -> Tags.empty());
    }

    /**
     * A copy that adds {@code extraTags.apply(breaker)} to every meter of a breaker (the WebClient
     * filter tags its breakers with {@code host}). The function must return the same tag keys for
     * every breaker.
     */
    public CircuitBreakerMeterBinder withTags(Function<CircuitBreaker, Iterable<Tag>> extraTags) {
        return new CircuitBreakerMeterBinder(breakers, extraTags);
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        Objects.requireNonNull(meters, "meterRegistry");
        Map<CircuitBreaker, Binding> bound = new ConcurrentHashMap<>();
        breakers.addRegistryListener(new CircuitBreakerRegistry.RegistryListener() {
            @Override
            public void onAdded(CircuitBreaker breaker) {
                bound.computeIfAbsent(breaker, b -> new Binding(b, meters, Tags.of("name", b.name()).and(extraTags.apply(b))));
            }

            @Override
            public void onRemoved(CircuitBreaker breaker) {
                Binding binding = bound.remove(breaker);
                if (binding != null) {
                    binding.close();
                }
            }
        }, true);
    }

    /** The meters of one breaker in one meter registry, and the listener that feeds them. */
    private static final class Binding implements CircuitBreakerListener {

        private final MeterRegistry meters;
        private final Tags tags;
        private final List<Meter> owned = new ArrayList<>();
        private final Counter successful;
        private final Counter successfulSlow;
        private final Counter failed;
        private final Counter failedSlow;
        private final Counter ignored;
        private final Counter notPermitted;
        private final Timer successfulDuration;
        private final Timer failedDuration;
        private final ListenerRegistration registration;

        Binding(CircuitBreaker breaker, MeterRegistry meters, Tags tags) {
            this.meters = meters;
            this.tags = tags;
            for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
                owned.add(Gauge.builder(PREFIX + "state", breaker, b -> effectiveState(b) == state ? 1 : 0)
                        .tags(tags).tag("state", state.name().toLowerCase(Locale.ROOT))
                        .description("1 for the breaker's current state, 0 for the others")
                        .strongReference(true).register(meters));
            }
            successful = calls(breaker, "successful", "false");
            successfulSlow = calls(breaker, "successful", "true");
            failed = calls(breaker, "failed", "false");
            failedSlow = calls(breaker, "failed", "true");
            ignored = calls(breaker, "ignored", "false");
            notPermitted = calls(breaker, "not_permitted", "false");
            successfulDuration = duration("successful");
            failedDuration = duration("failed");
            owned.add(Gauge.builder(PREFIX + "failure.rate", breaker, b -> rate(b.metrics(), false))
                    .tags(tags).baseUnit("percent")
                    .description("Failed calls in the sliding window; no value below the minimum number of calls")
                    .strongReference(true).register(meters));
            owned.add(Gauge.builder(PREFIX + "slow.call.rate", breaker, b -> rate(b.metrics(), true))
                    .tags(tags).baseUnit("percent")
                    .description("Slow calls in the sliding window; no value below the minimum number of calls")
                    .strongReference(true).register(meters));
            owned.add(Gauge.builder(PREFIX + "buffered.calls", breaker, b -> b.metrics().bufferedCalls())
                    .tags(tags).description("Outcomes in the sliding window").strongReference(true).register(meters));
            registration = breaker.addListener(this);
        }

        private Counter calls(CircuitBreaker breaker, String kind, String slow) {
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

        static CircuitBreaker.State effectiveState(CircuitBreaker b) {
            CircuitBreaker.State s = b.state();
            return s == CircuitBreaker.State.OPEN && b.remainingOpenDuration().isZero() ? CircuitBreaker.State.HALF_OPEN : s;
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
}
