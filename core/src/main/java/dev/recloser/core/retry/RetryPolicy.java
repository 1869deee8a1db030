package dev.recloser.core.retry;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.NanoClock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * When to retry a failed call, and how long to wait first.
 *
 * <p>A failure is either an error ({@link #isRetryable(Throwable)}) or a result value that
 * {@link Builder#retryOnResult(Predicate) retryOnResult} matches ({@link #isRetryableResult(Object)}),
 * such as an HTTP 503 response. Anything else (a non-retryable error, or a result no predicate
 * matches) ends the call as it is. {@link CallNotPermittedException} is special: an open circuit
 * breaker is retried only with {@link Builder#waitForOpenBreaker(boolean) waitForOpenBreaker}, and
 * {@code retryOn} is never asked about it.
 *
 * <p>How an operator uses a policy, with {@code attempts} the number of attempts made so far
 * (1 after the first) and {@code previousDelayNanos} the delay it waited before the current attempt
 * (0 before the first retry):
 * <pre>{@code
 * long start = policy.clock().nanoTime();
 * // attempt fails with error e (or yields a value v that isRetryableResult(v))
 * if (!policy.isRetryable(e)) -> propagate e unchanged
 * long delay = policy.nextDelayNanos(attempts, previousDelayNanos, e, policy.clock().nanoTime() - start);
 * if (delay < 0) -> fail with new RetryExhaustedException(attempts, e, earlierErrors)
 * else           -> resubscribe after delay ns; previousDelayNanos = delay; attempts++
 * }</pre>
 *
 * <p>Defaults ({@link #defaults()}, and every option a {@link #builder()} is not given):
 * <ul>
 *   <li>{@code maxAttempts} 3, counting the first attempt (so at most 2 retries);</li>
 *   <li>{@code maxTotalDuration} none (only {@code maxAttempts} bounds a call);</li>
 *   <li>{@code retryOn} every error ({@link CallNotPermittedException} aside, see above);</li>
 *   <li>{@code retryOnResult} no result;</li>
 *   <li>{@code backoff} {@code Backoff.exponential(100 ms, 2.0, 5 s).withJitter(Jitter.equal())}:
 *       delays in [50, 100), [100, 200), [200, 400) ms ... up to [2.5, 5) s; equal rather than full
 *       jitter so that a retry never follows its failure almost at once, while clients that failed
 *       together are still spread over half of each delay;</li>
 *   <li>{@code delayHint} none; {@code maxDelayHint} 60 s;</li>
 *   <li>{@code waitForOpenBreaker} false;</li>
 *   <li>{@code random} {@code ThreadLocalRandom.current().nextDouble()} on each draw;</li>
 *   <li>{@code clock} {@link NanoClock#system()}.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe: keep one in a constant and share it between calls and threads. The
 * functions it is given (predicates, delay hint, random source) are called concurrently from every
 * call that uses the policy, so they must be thread-safe too; what they throw propagates to the
 * caller of the method that invoked them.
 */
public final class RetryPolicy {

    /**
     * Returned by {@link #nextDelayNanos} when no retry may follow. Any negative value means stop;
     * test with {@code delay < 0}.
     */
    public static final long STOP = -1L;

    private static final long UNBOUNDED = Long.MAX_VALUE;

    private static final Predicate<Throwable> EVERY_ERROR = new Predicate<>() {
        @Override
        public boolean test(Throwable t) {
            return true;
        }

        @Override
        public String toString() {
            return "every error";
        }
    };

    private static final Predicate<Object> NO_RESULT = new Predicate<>() {
        @Override
        public boolean test(Object value) {
            return false;
        }

        @Override
        public String toString() {
            return "no result";
        }
    };

    private static final Function<Object, Duration> NO_HINT = new Function<>() {
        @Override
        public Duration apply(Object failure) {
            return null;
        }

        @Override
        public String toString() {
            return "no hint";
        }
    };

    private static final DoubleSupplier THREAD_LOCAL_RANDOM = new DoubleSupplier() {
        @Override
        public double getAsDouble() {
            return ThreadLocalRandom.current().nextDouble();
        }

        @Override
        public String toString() {
            return "ThreadLocalRandom";
        }
    };

    private static final Backoff DEFAULT_BACKOFF =
            Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5)).withJitter(Jitter.equal());

    private static final RetryPolicy DEFAULTS = new Builder().build();

    private final int maxAttempts;
    private final long maxTotalNanos;
    private final Predicate<? super Throwable> retryOn;
    private final Predicate<Object> retryOnResult;
    private final Backoff backoff;
    private final Function<Object, Duration> delayHint;
    private final Duration maxDelayHint;
    private final long maxDelayHintNanos;
    private final boolean waitForOpenBreaker;
    private final DoubleSupplier random;
    private final NanoClock clock;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.maxTotalNanos = b.maxTotalNanos;
        this.retryOn = b.retryOn;
        this.retryOnResult = b.retryOnResult;
        this.backoff = b.backoff;
        this.delayHint = b.delayHint;
        this.maxDelayHint = b.maxDelayHint;
        this.maxDelayHintNanos = b.maxDelayHintNanos;
        this.waitForOpenBreaker = b.waitForOpenBreaker;
        this.random = b.random;
        this.clock = b.clock;
    }

    /** The policy with every default (see the class description); a shared constant. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy's values; this policy is not changed. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Whether an attempt that failed with {@code error} may be retried (attempts and time allowing,
     * which {@link #nextDelayNanos} decides). A {@link CallNotPermittedException} is retryable exactly
     * when {@code waitForOpenBreaker} is set; any other error when {@code retryOn} accepts it.
     *
     * @throws NullPointerException if {@code error} is null
     */
    public boolean isRetryable(Throwable error) {
        Objects.requireNonNull(error, "error");
        if (error instanceof CallNotPermittedException) {
            return waitForOpenBreaker;
        }
        return retryOn.test(error);
    }

    /**
     * Whether an attempt that produced {@code value} failed and may be retried ({@code retryOnResult};
     * false for every value by default).
     */
    public boolean isRetryableResult(Object value) {
        return retryOnResult.test(value);
    }

    /**
     * The delay before the next attempt, in nanoseconds, or a negative value ({@link #STOP}) if no
     * further attempt may be made. The caller has already decided that {@code failure} is retryable
     * ({@link #isRetryable} or {@link #isRetryableResult}); this method does not ask the predicates.
     *
     * <p>In order:
     * <ol>
     *   <li>{@code retry >= maxAttempts}: stop (attempts exhausted).</li>
     *   <li>The delay: for a {@link CallNotPermittedException} when {@code waitForOpenBreaker} is set,
     *       the longer of its {@code retryAfter()} and the backoff's delay (the breaker's wait is a
     *       lower bound, so a breaker that is HALF_OPEN with all permits taken, {@code retryAfter}
     *       zero, is not hammered); the delay hint is not consulted. For any other failure, the delay
     *       hint if it returns non-null: a negative hint counts as zero and a hint above
     *       {@code maxDelayHint} as {@code maxDelayHint}; otherwise the backoff's delay.</li>
     *   <li>With a {@code maxTotalDuration}: stop unless {@code elapsedNanos + delay < maxTotalDuration},
     *       that is unless the next attempt would start before the total time runs out. The delay is
     *       never shortened to fit.</li>
     * </ol>
     *
     * @param retry              the number of the retry being considered, which is also the number of
     *                           attempts made so far: 1 after the first attempt failed
     * @param previousDelayNanos the delay this method returned for the previous retry of the same call,
     *                           0 for the first retry (read only by decorrelated jitter)
     * @param failure            the error, or the result value {@code retryOnResult} matched; passed to
     *                           the delay hint
     * @param elapsedNanos       nanoseconds since the first attempt started, measured with
     *                           {@link #clock()}; a negative value counts as zero
     * @throws IllegalArgumentException if {@code retry < 1}
     */
    public long nextDelayNanos(int retry, long previousDelayNanos, Object failure, long elapsedNanos) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be >= 1, was " + retry);
        }
        if (retry >= maxAttempts) {
            return STOP;
        }
        long delayNanos;
        if (waitForOpenBreaker && failure instanceof CallNotPermittedException) {
            long openNanos = saturatedNanos(((CallNotPermittedException) failure).retryAfter());
            delayNanos = Math.max(openNanos, backoff.delayNanos(retry, previousDelayNanos, random));
        } else {
            Duration hint = delayHint.apply(failure);
            delayNanos = hint != null ? hintNanos(hint) : backoff.delayNanos(retry, previousDelayNanos, random);
        }
        if (maxTotalNanos != UNBOUNDED) {
            long remainingNanos = maxTotalNanos - Math.max(0L, elapsedNanos);
            if (delayNanos >= remainingNanos) {
                return STOP;
            }
        }
        return delayNanos;
    }

    private long hintNanos(Duration hint) {
        if (hint.isNegative()) {
            return 0L;
        }
        // Compared as Durations first: a huge hint must not overflow toNanos().
        return hint.compareTo(maxDelayHint) >= 0 ? maxDelayHintNanos : hint.toNanos();
    }

    private static long saturatedNanos(Duration d) {
        if (d.isNegative()) {
            return 0L;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Attempts per call including the first, {@code >= 1}. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The bound on a call's total time from the start of its first attempt, if any. */
    public Optional<Duration> maxTotalDuration() {
        return maxTotalNanos == UNBOUNDED ? Optional.empty() : Optional.of(Duration.ofNanos(maxTotalNanos));
    }

    /** Which errors are retried ({@link CallNotPermittedException} aside). */
    public Predicate<? super Throwable> retryOn() {
        return retryOn;
    }

    /** Which result values are failures to retry. */
    public Predicate<Object> retryOnResult() {
        return retryOnResult;
    }

    /** The delay between attempts when no hint applies. */
    public Backoff backoff() {
        return backoff;
    }

    /** Maps a failure to a server's delay hint, or to null for none. */
    public Function<Object, Duration> delayHint() {
        return delayHint;
    }

    /** The longest delay a hint may impose. */
    public Duration maxDelayHint() {
        return maxDelayHint;
    }

    /** Whether a {@link CallNotPermittedException} is retried after the breaker's {@code retryAfter}. */
    public boolean waitForOpenBreaker() {
        return waitForOpenBreaker;
    }

    /** The source of random numbers in {@code [0, 1)} for jitter. */
    public DoubleSupplier random() {
        return random;
    }

    /** The clock against which {@code maxTotalDuration} is measured. */
    public NanoClock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts
                + ", maxTotalDuration=" + maxTotalDuration().map(Duration::toString).orElse("none")
                + ", retryOn=" + retryOn
                + ", retryOnResult=" + retryOnResult
                + ", backoff=" + backoff
                + ", delayHint=" + delayHint
                + ", maxDelayHint=" + maxDelayHint
                + ", waitForOpenBreaker=" + waitForOpenBreaker
                + ", random=" + random
                + ", clock=" + clock + '}';
    }

    /**
     * Builds a {@link RetryPolicy}. Each setter checks its value at once and throws
     * {@link IllegalArgumentException} (naming the option and the value) or, for null,
     * {@link NullPointerException} (naming the option); a rejected call leaves the builder unchanged.
     * Not thread-safe; {@link #build()} may be called repeatedly and each policy is independent of
     * later changes to the builder.
     */
    public static final class Builder {

        private int maxAttempts = 3;
        private long maxTotalNanos = UNBOUNDED;
        private Predicate<? super Throwable> retryOn = EVERY_ERROR;
        private Predicate<Object> retryOnResult = NO_RESULT;
        private Backoff backoff = DEFAULT_BACKOFF;
        private Function<Object, Duration> delayHint = NO_HINT;
        private Duration maxDelayHint = Duration.ofSeconds(60);
        private long maxDelayHintNanos = maxDelayHint.toNanos();
        private boolean waitForOpenBreaker;
        private DoubleSupplier random = THREAD_LOCAL_RANDOM;
        private NanoClock clock = NanoClock.system();

        private Builder() {
        }

        private Builder(RetryPolicy p) {
            this.maxAttempts = p.maxAttempts;
            this.maxTotalNanos = p.maxTotalNanos;
            this.retryOn = p.retryOn;
            this.retryOnResult = p.retryOnResult;
            this.backoff = p.backoff;
            this.delayHint = p.delayHint;
            this.maxDelayHint = p.maxDelayHint;
            this.maxDelayHintNanos = p.maxDelayHintNanos;
            this.waitForOpenBreaker = p.waitForOpenBreaker;
            this.random = p.random;
            this.clock = p.clock;
        }

        /**
         * Attempts per call including the first one (1 = never retry). Default 3.
         *
         * @throws IllegalArgumentException if {@code maxAttempts < 1}
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * The longest a call may take from the start of its first attempt: a retry is made only if it
         * would start before this much time has passed. Default: no bound.
         *
         * @throws IllegalArgumentException if not positive or longer than about 292 years
         * @throws NullPointerException     if null
         */
        public Builder maxTotalDuration(Duration maxTotalDuration) {
            long nanos = Checks.positiveNanos("maxTotalDuration", maxTotalDuration);
            if (nanos == UNBOUNDED) {
                // Long.MAX_VALUE marks "no bound"; one nanosecond less is the same in practice.
                nanos = UNBOUNDED - 1;
            }
            this.maxTotalNanos = nanos;
            return this;
        }

        /** Removes the {@link #maxTotalDuration(Duration) total duration} bound (the default). */
        public Builder noMaxTotalDuration() {
            this.maxTotalNanos = UNBOUNDED;
            return this;
        }

        /**
         * Which errors to retry. Never asked about {@link CallNotPermittedException} (see
         * {@link #waitForOpenBreaker(boolean)}). Default: every error.
         *
         * @throws NullPointerException if null
         */
        public Builder retryOn(Predicate<? super Throwable> retryOn) {
            this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
            return this;
        }

        /**
         * Which result values are failures to retry (e.g. an HTTP 503 response). Default: none.
         *
         * @throws NullPointerException if null
         */
        public Builder retryOnResult(Predicate<Object> retryOnResult) {
            this.retryOnResult = Objects.requireNonNull(retryOnResult, "retryOnResult");
            return this;
        }

        /**
         * The delays between attempts. Default: exponential from 100 ms, times 2, capped at 5 s,
         * with equal jitter.
         *
         * @throws NullPointerException if null
         */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * A server's hint for the delay before the next attempt, such as a {@code Retry-After}
         * header: given the failure (the error, or the result value {@code retryOnResult} matched)
         * it returns the delay, or null for no hint. A hint replaces the backoff's delay; a
         * negative hint counts as zero and a hint above {@link #maxDelayHint(Duration)} as that
         * cap. Default: no hint.
         *
         * @throws NullPointerException if null
         */
        public Builder delayHint(Function<Object, Duration> delayHint) {
            this.delayHint = Objects.requireNonNull(delayHint, "delayHint");
            return this;
        }

        /**
         * The longest delay a hint may impose; a longer hint waits this long instead (the hint is
         * not ignored and the call does not give up). Default 60 s.
         *
         * @throws IllegalArgumentException if not positive or longer than about 292 years
         * @throws NullPointerException     if null
         */
        public Builder maxDelayHint(Duration maxDelayHint) {
            this.maxDelayHintNanos = Checks.positiveNanos("maxDelayHint", maxDelayHint);
            this.maxDelayHint = maxDelayHint;
            return this;
        }

        /**
         * Whether a call rejected by an open circuit breaker ({@link CallNotPermittedException}) is
         * retried once the breaker may admit it again, if that fits {@code maxTotalDuration}.
         * Each such retry counts as an attempt. Default false: the rejection propagates at once.
         */
        public Builder waitForOpenBreaker(boolean waitForOpenBreaker) {
            this.waitForOpenBreaker = waitForOpenBreaker;
            return this;
        }

        /**
         * The source of random numbers in {@code [0, 1)} used for jitter; called concurrently, so it
         * must be thread-safe. Default: {@code ThreadLocalRandom.current().nextDouble()} per draw.
         *
         * @throws NullPointerException if null
         */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * The clock against which the operator measures {@code maxTotalDuration}. Default
         * {@link NanoClock#system()}.
         *
         * @throws NullPointerException if null
         */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** A policy with the values set so far. */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
