package dev.recloser.reactor;

import dev.recloser.core.Bulkhead;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Composes Recloser's operators in a stated order.
 *
 * <pre>{@code
 * Flux<Event> events = feed.stream().transform(Resilience.pipeline()   // outermost first
 *         .retry(policy).circuitBreaker(breaker).timeout(Duration.ofSeconds(2)).build());
 * }</pre>
 *
 * <p>{@link #pipeline()} lists stages outermost first: in the example each retry attempt goes
 * through the breaker, and each breaker call is bounded by the timeout, so a timeout is a failure
 * the breaker records and a rejection is what the retry sees. {@link #standard} builds the order
 * that works for remote calls.
 */
public final class Resilience {

    private Resilience() {
    }

    /** An empty pipeline; add stages outermost first. */
    public static Pipeline pipeline() {
        return new Pipeline(Collections.emptyList(), Schedulers::parallel);
    }

    /**
     * The standard order for a remote call, outermost first (the order of Microsoft's
     * {@code Microsoft.Extensions.Http.Resilience} standard handler):
     * <ol>
     *   <li>bulkhead: a rejection costs nothing downstream and never counts as a breaker failure;</li>
     *   <li>total timeout: bounds the whole call, retries and their waits included;</li>
     *   <li>retry: each attempt goes through the breaker, so an open breaker stops the retries
     *       (unless the policy waits for it);</li>
     *   <li>circuit breaker: records each attempt;</li>
     *   <li>attempt timeout: a hanging attempt becomes a failure the breaker records and the retry
     *       may retry.</li>
     * </ol>
     * A {@code null} bulkhead or timeout leaves that stage out; the retry policy and the breaker
     * are required.
     */
    public static Pipeline standard(Bulkhead bulkhead, Duration totalTimeout, RetryPolicy retry,
                                    CircuitBreaker breaker, Duration attemptTimeout) {
        Pipeline p = pipeline();
        if (bulkhead != null) {
            p = p.bulkhead(bulkhead);
        }
        if (totalTimeout != null) {
            p = p.timeout(totalTimeout);
        }
        p = p.retry(Objects.requireNonNull(retry, "retry")).circuitBreaker(Objects.requireNonNull(breaker, "breaker"));
        if (attemptTimeout != null) {
            p = p.timeout(attemptTimeout);
        }
        return p;
    }

    /**
     * An immutable list of stages, outermost first. Each method returns a new pipeline, so a
     * pipeline is safe to share and to extend as a template.
     */
    public static final class Pipeline {

        private final List<Stage> stages;
        private final Supplier<? extends Scheduler> scheduler;

        private Pipeline(List<Stage> stages, Supplier<? extends Scheduler> scheduler) {
            this.stages = stages;
            this.scheduler = scheduler;
        }

        private Pipeline with(Stage stage) {
            List<Stage> next = new ArrayList<>(stages);
            next.add(stage);
            return new Pipeline(Collections.unmodifiableList(next), scheduler);
        }

        /** Adds a bulkhead stage. */
        public Pipeline bulkhead(Bulkhead bulkhead) {
            Objects.requireNonNull(bulkhead, "bulkhead");
            return with(new Stage() {
                @Override
                public <T> UnaryOperator<Publisher<T>> operator(Supplier<? extends Scheduler> s) {
                    return BulkheadOperator.of(bulkhead);
                }
            });
        }

        /** Adds a circuit-breaker stage (cancels release the permit). */
        public Pipeline circuitBreaker(CircuitBreaker breaker) {
            return circuitBreaker(breaker, CancelOutcome.IGNORE);
        }

        /** Adds a circuit-breaker stage with the given cancel rule. */
        public Pipeline circuitBreaker(CircuitBreaker breaker, CancelOutcome onCancel) {
            Objects.requireNonNull(breaker, "breaker");
            Objects.requireNonNull(onCancel, "onCancel");
            return with(new Stage() {
                @Override
                public <T> UnaryOperator<Publisher<T>> operator(Supplier<? extends Scheduler> s) {
                    return CircuitBreakerOperator.<T>of(breaker).onCancel(onCancel);
                }
            });
        }

        /** Adds a retry stage; its waits run on the pipeline's scheduler. */
        public Pipeline retry(RetryPolicy policy) {
            Objects.requireNonNull(policy, "policy");
            return with(new Stage() {
                @Override
                public <T> UnaryOperator<Publisher<T>> operator(Supplier<? extends Scheduler> s) {
                    return RetryOperator.<T>of(policy).scheduler(s);
                }
            });
        }

        /** Adds a retry stage with its own operator settings (budget, scheduler, reset on next). */
        public Pipeline retry(RetryOperator<?> retry) {
            Objects.requireNonNull(retry, "retry");
            return with(new Stage() {
                @Override
                @SuppressWarnings("unchecked") // the operator is element-type agnostic
                public <T> UnaryOperator<Publisher<T>> operator(Supplier<? extends Scheduler> s) {
                    return (UnaryOperator<Publisher<T>>) retry;
                }
            });
        }

        /** Adds a total timeout stage; its timer runs on the pipeline's scheduler. */
        public Pipeline timeout(Duration timeout) {
            TimeoutOperator.of(timeout); // validates now, at the call that sets it
            return with(new Stage() {
                @Override
                public <T> UnaryOperator<Publisher<T>> operator(Supplier<? extends Scheduler> s) {
                    return TimeoutOperator.<T>of(timeout).scheduler(s);
                }
            });
        }

        /**
         * The scheduler supplier for the retry waits and timeouts of stages added with a policy or
         * a duration (default {@link Schedulers#parallel()}, resolved at each subscription).
         */
        public Pipeline scheduler(Supplier<? extends Scheduler> scheduler) {
            return new Pipeline(stages, Objects.requireNonNull(scheduler, "scheduler"));
        }

        /**
         * The composed operator: {@code mono.transform(pipeline.build())} keeps a Mono a Mono.
         *
         * @throws IllegalStateException if the pipeline has no stage
         */
        public <T> UnaryOperator<Publisher<T>> build() {
            if (stages.isEmpty()) {
                throw new IllegalStateException("pipeline has no stage");
            }
            List<UnaryOperator<Publisher<T>>> ops = new ArrayList<>(stages.size());
            for (Stage stage : stages) {
                ops.add(stage.operator(scheduler));
            }
            return source -> {
                // Innermost (last listed) first: it wraps the source directly.
                Publisher<T> p = source;
                for (int i = ops.size() - 1; i >= 0; i--) {
                    p = ops.get(i).apply(p);
                }
                return p;
            };
        }

        @Override
        public String toString() {
            return "Pipeline[" + stages.size() + " stages]";
        }
    }

    /** One stage, instantiated for an element type when the pipeline is built. */
    private interface Stage {
        <T> UnaryOperator<Publisher<T>> operator(Supplier<? extends Scheduler> scheduler);
    }
}
