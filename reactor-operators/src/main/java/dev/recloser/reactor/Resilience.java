package dev.recloser.reactor;

import dev.recloser.core.Bulkhead;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.limit.ConcurrencyLimiter;
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
 * the breaker records and a rejection is what the retry sees. {@link #standard()} builds the
 * order that works for remote calls, with named steps.
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
     * {@code Microsoft.Extensions.Http.Resilience} standard handler, with the adaptive limit added),
     * built with named steps so
     * that the two durations cannot be swapped:
     * <pre>{@code
     * Mono<Stock> stock = inventory.get(id).transform(Resilience.standard()
     *         .bulkhead(bulkhead)                        // optional
     *         .totalTimeout(Duration.ofSeconds(10))      // optional
     *         .retry(policy)                             // required
     *         .circuitBreaker(breaker)                   // required
     *         .attemptTimeout(Duration.ofSeconds(2))     // optional
     *         .build());
     * }</pre>
     * <ol>
     *   <li>bulkhead: a rejection costs nothing downstream and never counts as a breaker failure;</li>
     *   <li>total timeout: bounds the whole call, retries and their waits included;</li>
     *   <li>retry: each attempt goes through the breaker, so an open breaker stops the retries
     *       (unless the policy waits for it);</li>
     *   <li>adaptive concurrency limit: one permit per attempt, so the latency it learns from is the
     *       dependency's own (not the retry's waits); outside the breaker, so a limit rejection is
     *       never a breaker failure and a breaker rejection ends fast as an error the limiter ignores;
     *       a timed-out attempt (the attempt timeout sits inside it) is a drop that makes it back off.
     *       The retry sees a {@code LimitExceededException}: exclude it in the policy's
     *       {@code retryOn} to shed load at once rather than retry it;</li>
     *   <li>circuit breaker: records each attempt;</li>
     *   <li>attempt timeout: a hanging attempt becomes a failure the breaker records and the retry
     *       may retry.</li>
     * </ol>
     * The steps may be called in any order; the stages are always placed in this one.
     */
    public static Standard standard() {
        return new Standard();
    }

    /**
     * The standard order, with the stages given by position.
     *
     * @deprecated two {@code Duration}s by position are easy to swap; use {@link #standard()} and its
     *             named steps. A {@code null} bulkhead or timeout leaves that stage out.
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static Pipeline standard(Bulkhead bulkhead, Duration totalTimeout, RetryPolicy retry,
                                    CircuitBreaker breaker, Duration attemptTimeout) {
        Standard s = standard().retry(retry).circuitBreaker(breaker);
        if (bulkhead != null) {
            s.bulkhead(bulkhead);
        }
        if (totalTimeout != null) {
            s.totalTimeout(totalTimeout);
        }
        if (attemptTimeout != null) {
            s.attemptTimeout(attemptTimeout);
        }
        return s.pipeline();
    }

    /**
     * The named steps of {@link #standard()}. Each step checks its value at once (a null throws
     * {@link NullPointerException} naming the step; a non-positive duration, or an attempt timeout
     * longer than the total timeout, {@link IllegalArgumentException} naming the option and the
     * values) and replaces an earlier value of the same step. Not thread-safe; {@link #pipeline()}
     * and {@link #build()} may be called repeatedly, each result independent of later steps.
     */
    public static final class Standard {

        private Bulkhead bulkhead;
        private Duration totalTimeout;
        private RetryPolicy retry;
        private ConcurrencyLimiter limiter;
        private CircuitBreaker breaker;
        private Duration attemptTimeout;
        private Supplier<? extends Scheduler> scheduler = Schedulers::parallel;

        private Standard() {
        }

        /** The outermost stage: at most the bulkhead's calls in flight. Optional. */
        public Standard bulkhead(Bulkhead bulkhead) {
            this.bulkhead = Objects.requireNonNull(bulkhead, "bulkhead");
            return this;
        }

        /** Bounds the whole call, retries and their waits included; positive, {@code >= attemptTimeout}. Optional. */
        public Standard totalTimeout(Duration timeout) {
            positive("totalTimeout", timeout);
            if (attemptTimeout != null && timeout.compareTo(attemptTimeout) < 0) {
                throw new IllegalArgumentException("totalTimeout must be >= attemptTimeout (" + attemptTimeout
                        + "), was " + timeout);
            }
            this.totalTimeout = timeout;
            return this;
        }

        /** The retry policy; its waits run on the pipeline's scheduler. Required. */
        public Standard retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "retry");
            return this;
        }

        /**
         * An adaptive concurrency limit per attempt, between the retry and the breaker (a rejected
         * attempt never reaches the breaker, and the retry sees the rejection). Optional.
         */
        public Standard concurrencyLimit(ConcurrencyLimiter limiter) {
            this.limiter = Objects.requireNonNull(limiter, "concurrencyLimit");
            return this;
        }

        /** The breaker every attempt goes through. Required. */
        public Standard circuitBreaker(CircuitBreaker breaker) {
            this.breaker = Objects.requireNonNull(breaker, "circuitBreaker");
            return this;
        }

        /** Bounds each attempt, inside the breaker; positive, {@code <= totalTimeout}. Optional. */
        public Standard attemptTimeout(Duration timeout) {
            positive("attemptTimeout", timeout);
            if (totalTimeout != null && timeout.compareTo(totalTimeout) > 0) {
                throw new IllegalArgumentException("attemptTimeout must be <= totalTimeout (" + totalTimeout
                        + "), was " + timeout);
            }
            this.attemptTimeout = timeout;
            return this;
        }

        /**
         * The scheduler supplier for the retry waits and the timeouts (default
         * {@link Schedulers#parallel()}, resolved at each subscription).
         */
        public Standard scheduler(Supplier<? extends Scheduler> scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The composed operator, as {@code pipeline().build()}: {@code mono.transform(standard.build())}
         * keeps a Mono a Mono.
         *
         * @throws IllegalStateException if the retry policy or the breaker is missing
         */
        public <T> UnaryOperator<Publisher<T>> build() {
            return pipeline().build();
        }

        /**
         * The stages as an immutable {@link Pipeline}, in the standard order, to keep as a template.
         *
         * @throws IllegalStateException if the retry policy or the breaker is missing
         */
        public Pipeline pipeline() {
            if (retry == null || breaker == null) {
                throw new IllegalStateException("the standard pipeline needs retry(...) and circuitBreaker(...)"
                        + (retry == null ? "; retry is missing" : "") + (breaker == null ? "; circuitBreaker is missing" : ""));
            }
            Pipeline p = Resilience.pipeline().scheduler(scheduler);
            if (bulkhead != null) {
                p = p.bulkhead(bulkhead);
            }
            if (totalTimeout != null) {
                p = p.timeout(totalTimeout);
            }
            p = p.retry(retry);
            if (limiter != null) {
                p = p.concurrencyLimit(limiter);
            }
            p = p.circuitBreaker(breaker);
            if (attemptTimeout != null) {
                p = p.timeout(attemptTimeout);
            }
            return p;
        }

        private static void positive(String option, Duration value) {
            Objects.requireNonNull(value, option);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(option + " must be positive, was " + value);
            }
        }

        @Override
        public String toString() {
            return "Resilience.standard(){bulkhead=" + bulkhead + ", totalTimeout=" + totalTimeout + ", retry="
                    + retry + ", concurrencyLimit=" + limiter + ", circuitBreaker=" + breaker + ", attemptTimeout=" + attemptTimeout + '}';
        }
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

        /**
         * Adds an adaptive concurrency limit stage ({@link ConcurrencyLimitOperator} with its
         * defaults: timeouts are drops). See {@link Resilience#standard()} for where it belongs.
         */
        public Pipeline concurrencyLimit(ConcurrencyLimiter limiter) {
            Objects.requireNonNull(limiter, "limiter");
            return with(new Stage() {
                @Override
                public <T> UnaryOperator<Publisher<T>> operator(Supplier<? extends Scheduler> s) {
                    return ConcurrencyLimitOperator.of(limiter);
                }
            });
        }

        /** Adds an adaptive concurrency limit stage with its own operator settings (drop rules). */
        public Pipeline concurrencyLimit(ConcurrencyLimitOperator<?> operator) {
            Objects.requireNonNull(operator, "operator");
            return with(new Stage() {
                @Override
                @SuppressWarnings("unchecked") // the operator is element-type agnostic
                public <T> UnaryOperator<Publisher<T>> operator(Supplier<? extends Scheduler> s) {
                    return (UnaryOperator<Publisher<T>>) (UnaryOperator<?>) operator;
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
