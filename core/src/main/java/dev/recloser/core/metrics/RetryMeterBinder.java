package dev.recloser.core.metrics;

import dev.recloser.core.retry.RetryListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes the calls of a retrying operator to Micrometer: a {@link MeterBinder} that is also the
 * operator's {@link RetryListener}. Bind it, then hand it to the operator:
 * <pre>{@code
 * RetryMeterBinder retryMetrics = RetryMeterBinder.of("inventory");
 * retryMetrics.bindTo(meterRegistry);
 * mono.transform(RetryOperator.of(policy).listener(retryMetrics))
 * }</pre>
 *
 * <p>Meters (every one tagged {@code name}):
 * <ul>
 *   <li>{@code recloser.retry.calls} counter, tag {@code kind} = successful_without_retry |
 *       successful_with_retry | failed_without_retry | failed_with_retry: finished calls by outcome
 *       ("with retry" when more than one attempt was made; a call that failed before its first
 *       attempt counts as failed_without_retry).</li>
 *   <li>{@code recloser.retry.attempts} distribution summary: attempts per finished call (1 for a
 *       call never retried).</li>
 *   <li>{@code recloser.retry.budget.rejections} counter: retries the policy allowed and the retry
 *       budget refused (each ends its call as failed_with_retry or failed_without_retry).</li>
 * </ul>
 * Cancelled calls have no outcome and are not counted (a Flux cut short by {@code take(n)} is a
 * cancelled call); {@link RetryListener#onRetryScheduled} publishes nothing: retries are
 * {@code sum(attempts) - count(attempts)}.
 *
 * <p>Every meter is registered when the binder is bound, so a series exists (at 0) before the first
 * event; the call path only increments them: no lookup, no lock, and nothing allocated by the binder.
 * Events that arrive before the first {@link #bindTo} are not counted.
 *
 * <p>Thread-safe. Use one binder per logical retrier ({@code name}); one binder may serve any
 * number of operators and concurrent calls. Like {@link CircuitBreakerMeterBinder} and
 * {@link BulkheadMeterBinder}, it may be bound to any number of meter registries, and every event
 * then moves the meters of all of them: refusing a second registry would make a binder that works
 * with one set-up throw in another (two registries side by side rather than a composite). Binding
 * again to a registry it is already bound to changes nothing, so an event is never counted twice
 * there; do not bind it to both a {@code CompositeMeterRegistry} and one of its members.
 */
@SuppressWarnings("exports") // Micrometer in the API: an optional ('requires static') dependency, by design
public final class RetryMeterBinder implements MeterBinder, RetryListener {

    static final String PREFIX = "recloser.retry.";

    private static final Bound[] UNBOUND = new Bound[0];

    private final String name;
    /** The meters of each registry bound so far; copied on bind (rare), read on every event. */
    private final AtomicReference<Bound[]> bound = new AtomicReference<>(UNBOUND);

    private RetryMeterBinder(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * A binder whose meters are tagged {@code name} = {@code name}.
     *
     * @throws NullPointerException if {@code name} is null
     */
    public static RetryMeterBinder of(String name) {
        return new RetryMeterBinder(name);
    }

    /** The value of the {@code name} tag. */
    public String name() {
        return name;
    }

    /**
     * Registers the meters in {@code meters}; from then on every event also moves them. Binding to a
     * registry this binder is already bound to does nothing.
     *
     * @throws NullPointerException if {@code meters} is null
     */
    @Override
    public void bindTo(MeterRegistry meters) {
        Objects.requireNonNull(meters, "meterRegistry");
        Bound fresh = null;
        for (;;) {
            Bound[] current = bound.get();
            for (Bound b : current) {
                if (b.registry == meters) {
                    return;
                }
            }
            if (fresh == null) {
                // Registering twice in a lost race is harmless: Micrometer returns the same meters.
                fresh = new Bound(meters, Tags.of("name", name));
            }
            Bound[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = fresh;
            if (bound.compareAndSet(current, next)) {
                return;
            }
        }
    }

    @Override
    public void onCallFinished(boolean succeeded, int attempts) {
        for (Bound b : bound.get()) {
            b.finished(succeeded, attempts);
        }
    }

    @Override
    public void onBudgetRejected() {
        for (Bound b : bound.get()) {
            b.budgetRejections.increment();
        }
    }

    @Override
    public String toString() {
        return "RetryMeterBinder{name=" + name + ", registries=" + bound.get().length + '}';
    }

    /** The meters of this binder in one meter registry. */
    private static final class Bound {

        final MeterRegistry registry;
        private final Counter successfulWithoutRetry;
        private final Counter successfulWithRetry;
        private final Counter failedWithoutRetry;
        private final Counter failedWithRetry;
        private final DistributionSummary attempts;
        final Counter budgetRejections;

        Bound(MeterRegistry registry, Tags tags) {
            this.registry = registry;
            successfulWithoutRetry = calls(registry, tags, "successful_without_retry");
            successfulWithRetry = calls(registry, tags, "successful_with_retry");
            failedWithoutRetry = calls(registry, tags, "failed_without_retry");
            failedWithRetry = calls(registry, tags, "failed_with_retry");
            attempts = DistributionSummary.builder(PREFIX + "attempts").tags(tags)
                    .description("Attempts per finished call through the retry operator, the first included")
                    .register(registry);
            budgetRejections = Counter.builder(PREFIX + "budget.rejections").tags(tags)
                    .description("Retries allowed by the retry policy but refused by the retry budget")
                    .register(registry);
        }

        private static Counter calls(MeterRegistry registry, Tags tags, String kind) {
            return Counter.builder(PREFIX + "calls").tags(tags).tag("kind", kind)
                    .description("Finished calls through the retry operator by outcome").register(registry);
        }

        void finished(boolean succeeded, int n) {
            boolean retried = n > 1;
            (succeeded ? (retried ? successfulWithRetry : successfulWithoutRetry)
                    : (retried ? failedWithRetry : failedWithoutRetry)).increment();
            attempts.record(n);
        }
    }
}
