package dev.recloser.core;

import dev.recloser.core.internal.window.TripRule;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * The immutable configuration of a {@link CircuitBreaker}.
 *
 * <p>Built with {@link #builder()} (which starts from {@link #balanced()}), or from a preset:
 * {@link #aggressive()}, {@link #balanced()}, {@link #conservative()}. Every builder method
 * validates its value at the call that sets it: an invalid value throws an
 * {@link IllegalArgumentException} naming the option and the value, a {@code null} a
 * {@link NullPointerException} naming the option. Nothing is clamped silently.
 *
 * <p>Instances are immutable and thread-safe; one config may back any number of breakers.
 * Every option, its default and its valid range are listed in {@code docs/configuration.md}.
 */
public final class CircuitBreakerConfig {

    private static final Predicate<Throwable> ALL_ERRORS = new NamedPredicate<>("every error", t -> true);
    private static final Predicate<Throwable> NO_ERRORS = new NamedPredicate<>("no error", t -> false);
    private static final DoubleSupplier THREAD_LOCAL_RANDOM = () -> ThreadLocalRandom.current().nextDouble();

    /** The slow-call threshold that means "no call is slow": no duration exceeds it. */
    static final long SLOW_DETECTION_OFF = Long.MAX_VALUE;

    private static final CircuitBreakerConfig BALANCED = new Builder().build();
    private static final CircuitBreakerConfig AGGRESSIVE = new Builder()
            .failureRateThreshold(25)
            .minimumNumberOfCalls(10)
            .slidingWindow(SlidingWindow.countBased(50))
            .consecutiveFailureThreshold(5)
            .slowCallRateThreshold(50)
            .slowCallDurationThreshold(Duration.ofSeconds(2))
            .waitDurationInOpenState(Duration.ofSeconds(5))
            .openStateBackoff(2.0, Duration.ofMinutes(1))
            .maxWaitInHalfOpenState(Duration.ofSeconds(10))
            .build();
    private static final CircuitBreakerConfig CONSERVATIVE = new Builder()
            .failureRateThreshold(75)
            .minimumNumberOfCalls(50)
            .slidingWindow(SlidingWindow.timeBased(Duration.ofSeconds(60), 12))
            .waitDurationInOpenState(Duration.ofSeconds(60))
            .openStateBackoff(1.5, Duration.ofMinutes(10))
            .permittedCallsInHalfOpenState(3)
            .maxWaitInHalfOpenState(Duration.ofSeconds(60))
            .build();

    final double failureRateThreshold;
    final double slowCallRateThreshold;
    final long slowCallDurationThresholdNanos;
    final int consecutiveFailureThreshold;
    final int minimumNumberOfCalls;
    final SlidingWindow slidingWindow;
    final long waitDurationInOpenStateNanos;
    final double openStateBackoffMultiplier;
    final long maxWaitDurationInOpenStateNanos;
    final double openStateJitter;
    final int permittedCallsInHalfOpenState;
    final long maxWaitInHalfOpenStateNanos;
    final Predicate<? super Throwable> recordFailure;
    final Predicate<? super Throwable> ignoreErrors;
    final Predicate<Object> recordResult;
    final NanoClock clock;
    final Clock wallClock;
    final DoubleSupplier random;
    final boolean metricsOnly;
    final boolean logTransitions;
    final TripRule tripRule;

    private CircuitBreakerConfig(Builder b) {
        this.failureRateThreshold = b.failureRateThreshold;
        this.slowCallRateThreshold = b.slowCallRateThreshold;
        this.slowCallDurationThresholdNanos = b.slowCallDurationThresholdNanos;
        this.consecutiveFailureThreshold = b.consecutiveFailureThreshold;
        this.minimumNumberOfCalls = b.minimumNumberOfCalls;
        this.slidingWindow = b.slidingWindow;
        this.waitDurationInOpenStateNanos = b.waitDurationInOpenStateNanos;
        this.openStateBackoffMultiplier = b.openStateBackoffMultiplier;
        this.maxWaitDurationInOpenStateNanos = b.maxWaitDurationInOpenStateNanos;
        this.openStateJitter = b.openStateJitter;
        this.permittedCallsInHalfOpenState = b.permittedCallsInHalfOpenState;
        this.maxWaitInHalfOpenStateNanos = b.maxWaitInHalfOpenStateNanos;
        this.recordFailure = b.recordFailure;
        this.ignoreErrors = b.ignoreErrors;
        this.recordResult = b.recordResult;
        this.clock = b.clock;
        this.wallClock = b.wallClock;
        this.random = b.random;
        this.metricsOnly = b.metricsOnly;
        this.logTransitions = b.logTransitions;
        this.tripRule = new TripRule(minimumNumberOfCalls, failureRateThreshold, slowCallRateThreshold);
    }

    /** A builder starting from the {@link #balanced()} defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The default: 50% failures over the last 100 calls (at least 20), no slow-call detection,
     * wait 30 s doubling per consecutive trip up to 5 min with 10% jitter, 1 trial call, trials
     * stuck for 30 s re-open.
     */
    public static CircuitBreakerConfig balanced() {
        return BALANCED;
    }

    /**
     * Trips early and probes often: 25% failures over the last 50 calls (at least 10) or 5
     * consecutive failures or 50% of calls slower than 2 s; wait 5 s doubling up to 1 min; trials
     * stuck for 10 s re-open. For cheap, latency-critical dependencies with a fallback.
     */
    public static CircuitBreakerConfig aggressive() {
        return AGGRESSIVE;
    }

    /**
     * Trips only on a clear outage: 75% failures over the last 60 s (12 buckets, at least 50
     * calls), no slow-call detection; wait 60 s growing 1.5x up to 10 min; 3 trial calls; trials
     * stuck for 60 s re-open.
     * For dependencies without a fallback where a false trip costs more than slow failures.
     */
    public static CircuitBreakerConfig conservative() {
        return CONSERVATIVE;
    }

    /** Failure-rate threshold in percent, in (0, 100]. */
    public double failureRateThreshold() {
        return failureRateThreshold;
    }

    /** Slow-call-rate threshold in percent, in (0, 100]. */
    public double slowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    /**
     * Calls that take longer than this are slow; empty when slow-call detection is off (the
     * {@link #balanced()} and {@link #conservative()} default), in which case no call is slow and
     * operators need not time calls for the breaker.
     */
    public Optional<Duration> slowCallDurationThreshold() {
        return slowCallDurationThresholdNanos == SLOW_DETECTION_OFF
                ? Optional.empty() : Optional.of(Duration.ofNanos(slowCallDurationThresholdNanos));
    }

    /** Whether calls are checked against a slow-call duration threshold. */
    public boolean detectsSlowCalls() {
        return slowCallDurationThresholdNanos != SLOW_DETECTION_OFF;
    }

    /** Failures in a row that open the breaker; 0 = off. */
    public int consecutiveFailureThreshold() {
        return consecutiveFailureThreshold;
    }

    /** Outcomes the window must hold before a rate is evaluated. */
    public int minimumNumberOfCalls() {
        return minimumNumberOfCalls;
    }

    /** The sliding window the rates are computed over. */
    public SlidingWindow slidingWindow() {
        return slidingWindow;
    }

    /** The wait in OPEN after a first trip, before a trial call is admitted. */
    public Duration waitDurationInOpenState() {
        return Duration.ofNanos(waitDurationInOpenStateNanos);
    }

    /** The factor the open wait grows by per consecutive trip (1 = constant). */
    public double openStateBackoffMultiplier() {
        return openStateBackoffMultiplier;
    }

    /** The cap of the growing open wait (before jitter, which never exceeds it either). */
    public Duration maxWaitDurationInOpenState() {
        return Duration.ofNanos(maxWaitDurationInOpenStateNanos);
    }

    /** The open wait is multiplied by a random factor in [1 - jitter, 1 + jitter]; 0 = none. */
    public double openStateJitter() {
        return openStateJitter;
    }

    /** Trial calls admitted at once in HALF_OPEN; as many successes close the breaker. */
    public int permittedCallsInHalfOpenState() {
        return permittedCallsInHalfOpenState;
    }

    /** HALF_OPEN with all permits out re-opens when no trial was admitted for this long. */
    public Duration maxWaitInHalfOpenState() {
        return Duration.ofNanos(maxWaitInHalfOpenStateNanos);
    }

    /** Which errors count as failures (the others count as successes unless ignored). */
    public Predicate<? super Throwable> recordFailure() {
        return recordFailure;
    }

    /** Which errors count as neither success nor failure. */
    public Predicate<? super Throwable> ignoreErrors() {
        return ignoreErrors;
    }

    /** Which values count as failures; {@code null} when results are not classified. */
    public Predicate<Object> recordResult() {
        return recordResult;
    }

    /** The clock the breaker measures waits and time windows with. */
    public NanoClock clock() {
        return clock;
    }

    /** The wall clock {@link CircuitBreaker#transitionToOpenUntil} reads the current instant from. */
    public Clock wallClock() {
        return wallClock;
    }

    /** The random source of the open-wait jitter, yielding values in [0, 1). */
    public DoubleSupplier randomSource() {
        return random;
    }

    /**
     * Whether the breaker runs in metrics-only (shadow) mode: it records, evaluates, transitions,
     * logs and publishes as usual, but never rejects a call. Default false.
     */
    public boolean metricsOnly() {
        return metricsOnly;
    }

    /** Whether the breaker writes its transitions to the SLF4J log itself. Default true. */
    public boolean logTransitions() {
        return logTransitions;
    }

    @Override
    public String toString() {
        return "CircuitBreakerConfig{failureRateThreshold=" + failureRateThreshold
                + ", slowCallRateThreshold=" + slowCallRateThreshold
                + ", slowCallDurationThreshold=" + slowCallDurationThreshold().map(Duration::toString).orElse("off")
                + ", consecutiveFailureThreshold=" + consecutiveFailureThreshold
                + ", minimumNumberOfCalls=" + minimumNumberOfCalls
                + ", slidingWindow=" + slidingWindow
                + ", waitDurationInOpenState=" + waitDurationInOpenState()
                + ", openStateBackoff=" + openStateBackoffMultiplier + "x up to " + maxWaitDurationInOpenState()
                + ", openStateJitter=" + openStateJitter
                + ", permittedCallsInHalfOpenState=" + permittedCallsInHalfOpenState
                + ", maxWaitInHalfOpenState=" + maxWaitInHalfOpenState()
                + ", recordFailure=" + recordFailure
                + ", ignoreErrors=" + ignoreErrors
                + ", metricsOnly=" + metricsOnly
                + ", logTransitions=" + logTransitions
                + ", clock=" + clock + '}';
    }

    /**
     * A mutable, single-threaded builder. Each setter validates its argument immediately;
     * {@link #build()} checks the options that constrain each other.
     */
    public static final class Builder {
        private double failureRateThreshold = 50;
        /** Set on this builder (not copied from a config), so that only the call that set it warns. */
        private boolean failureRateThresholdSet;
        private double slowCallRateThreshold = 100;
        private long slowCallDurationThresholdNanos = SLOW_DETECTION_OFF;
        private int consecutiveFailureThreshold = 0;
        private int minimumNumberOfCalls = 20;
        private SlidingWindow slidingWindow = SlidingWindow.countBased(100);
        private long waitDurationInOpenStateNanos = Duration.ofSeconds(30).toNanos();
        private double openStateBackoffMultiplier = 2.0;
        private long maxWaitDurationInOpenStateNanos = Duration.ofMinutes(5).toNanos();
        private double openStateJitter = 0.1;
        private int permittedCallsInHalfOpenState = 1;
        private long maxWaitInHalfOpenStateNanos = Duration.ofSeconds(30).toNanos();
        private Predicate<? super Throwable> recordFailure = ALL_ERRORS;
        private Predicate<? super Throwable> ignoreErrors = NO_ERRORS;
        private Predicate<Object> recordResult = null;
        private NanoClock clock = NanoClock.system();
        private Clock wallClock = Clock.systemUTC();
        private DoubleSupplier random = THREAD_LOCAL_RANDOM;
        private boolean metricsOnly = false;
        private boolean logTransitions = true;

        private Builder() {
        }

        private Builder(CircuitBreakerConfig c) {
            this.failureRateThreshold = c.failureRateThreshold;
            this.slowCallRateThreshold = c.slowCallRateThreshold;
            this.slowCallDurationThresholdNanos = c.slowCallDurationThresholdNanos;
            this.consecutiveFailureThreshold = c.consecutiveFailureThreshold;
            this.minimumNumberOfCalls = c.minimumNumberOfCalls;
            this.slidingWindow = c.slidingWindow;
            this.waitDurationInOpenStateNanos = c.waitDurationInOpenStateNanos;
            this.openStateBackoffMultiplier = c.openStateBackoffMultiplier;
            this.maxWaitDurationInOpenStateNanos = c.maxWaitDurationInOpenStateNanos;
            this.openStateJitter = c.openStateJitter;
            this.permittedCallsInHalfOpenState = c.permittedCallsInHalfOpenState;
            this.maxWaitInHalfOpenStateNanos = c.maxWaitInHalfOpenStateNanos;
            this.recordFailure = c.recordFailure;
            this.ignoreErrors = c.ignoreErrors;
            this.recordResult = c.recordResult;
            this.clock = c.clock;
            this.wallClock = c.wallClock;
            this.random = c.random;
            this.metricsOnly = c.metricsOnly;
            this.logTransitions = c.logTransitions;
        }

        /**
         * Opens when failed calls reach this percentage of the window; in (0, 100], default 50.
         * A percentage, not a ratio: {@code 0.5} means half a percent. A value below 1 set here is
         * legitimate but most often a ratio written by mistake, so {@link #build()} logs a WARN
         * naming the value and "percent".
         */
        public Builder failureRateThreshold(double percent) {
            this.failureRateThreshold = Checks.percent("failureRateThreshold", percent);
            this.failureRateThresholdSet = true;
            return this;
        }

        /** The WARN {@link #build()} logs for a failure rate threshold set below 1 percent, else null. */
        static String ratioWarning(double percent) {
            if (percent >= 1) {
                return null;
            }
            return "failureRateThreshold is " + percent + " percent, not " + (percent * 100) + " percent: the "
                    + "threshold is a percentage in (0, 100]; if a ratio was meant, write "
                    + "failureRateThreshold(" + (percent * 100) + ")";
        }

        /**
         * Opens when slow calls reach this percentage of the window; in (0, 100], default 100. Only
         * matters with a {@link #slowCallDurationThreshold(Duration)}.
         */
        public Builder slowCallRateThreshold(double percent) {
            this.slowCallRateThreshold = Checks.percent("slowCallRateThreshold", percent);
            return this;
        }

        /**
         * Turns slow-call detection on: a call taking longer than this is slow. Positive. Default:
         * off (see {@link #noSlowCallDetection()}).
         */
        public Builder slowCallDurationThreshold(Duration threshold) {
            long nanos = Checks.positiveNanos("slowCallDurationThreshold", threshold);
            if (nanos == SLOW_DETECTION_OFF) {
                throw new IllegalArgumentException("slowCallDurationThreshold must be below ~292 years, was " + threshold);
            }
            this.slowCallDurationThresholdNanos = nanos;
            return this;
        }

        /**
         * Turns slow-call detection off (the default): no call is slow, the slow-call rate stays 0,
         * and operators do not need to read the clock twice per call to time it (unless a listener
         * wants durations). A dependency that gets slow without failing is better caught by an
         * attempt timeout inside the breaker, which is a failure.
         */
        public Builder noSlowCallDetection() {
            this.slowCallDurationThresholdNanos = SLOW_DETECTION_OFF;
            return this;
        }

        /** Opens after this many failures in a row, whatever the window says; >= 0, 0 = off (default). */
        public Builder consecutiveFailureThreshold(int failures) {
            this.consecutiveFailureThreshold = Checks.atLeast("consecutiveFailureThreshold", failures, 0);
            return this;
        }

        /** Outcomes needed in the window before rates are evaluated; >= 1, default 20. */
        public Builder minimumNumberOfCalls(int calls) {
            this.minimumNumberOfCalls = Checks.atLeast("minimumNumberOfCalls", calls, 1);
            return this;
        }

        /** The window rates are computed over; default {@code SlidingWindow.countBased(100)}. */
        public Builder slidingWindow(SlidingWindow window) {
            this.slidingWindow = Objects.requireNonNull(window, "slidingWindow");
            return this;
        }

        /** The wait in OPEN after a first trip; positive, default 30 s. */
        public Builder waitDurationInOpenState(Duration wait) {
            this.waitDurationInOpenStateNanos = Checks.positiveNanos("waitDurationInOpenState", wait);
            return this;
        }

        /**
         * Grows the open wait per consecutive trip (a trip from HALF_OPEN without closing in
         * between): the n-th trip waits {@code wait * multiplier^(n-1)}, at most {@code maxWait}.
         *
         * @param multiplier in [1, 100]; 1 keeps the wait constant (default 2)
         * @param maxWait    positive, at least {@code waitDurationInOpenState} (checked at build);
         *                   default 5 min
         */
        public Builder openStateBackoff(double multiplier, Duration maxWait) {
            if (!(multiplier >= 1.0 && multiplier <= 100.0)) {
                throw new IllegalArgumentException(
                        "openStateBackoff.multiplier must be in [1, 100], was " + multiplier);
            }
            long maxNanos = Checks.positiveNanos("openStateBackoff.maxWait", maxWait);
            this.openStateBackoffMultiplier = multiplier;
            this.maxWaitDurationInOpenStateNanos = maxNanos;
            return this;
        }

        /**
         * Spreads the open wait by a random factor in {@code [1 - jitter, 1 + jitter]}, still never
         * above the backoff cap, so that many instances tripped by one outage do not probe in
         * lock-step. In [0, 1); default 0.1; 0 = none.
         */
        public Builder openStateJitter(double jitter) {
            if (!(jitter >= 0.0 && jitter < 1.0)) {
                throw new IllegalArgumentException("openStateJitter must be in [0, 1), was " + jitter);
            }
            this.openStateJitter = jitter;
            return this;
        }

        /** Trial calls admitted at once in HALF_OPEN, and successes needed to close; >= 1, default 1. */
        public Builder permittedCallsInHalfOpenState(int calls) {
            this.permittedCallsInHalfOpenState = Checks.atLeast("permittedCallsInHalfOpenState", calls, 1);
            return this;
        }

        /**
         * When every trial permit is out and none was granted for this long, the trials are
         * presumed stuck and the breaker re-opens (their late outcomes are dropped); positive,
         * default 30 s.
         */
        public Builder maxWaitInHalfOpenState(Duration wait) {
            this.maxWaitInHalfOpenStateNanos = Checks.positiveNanos("maxWaitInHalfOpenState", wait);
            return this;
        }

        /**
         * Which errors are failures; an error it rejects (and that is not ignored) counts as a
         * success. Default: every error.
         */
        public Builder recordFailure(Predicate<? super Throwable> predicate) {
            this.recordFailure = Objects.requireNonNull(predicate, "recordFailure");
            return this;
        }

        /**
         * Counts as failures exactly the errors that are instances of one of {@code types} (or of a
         * subclass); any other error that is not ignored counts as a success. Replaces any
         * {@link #recordFailure(Predicate)} set before (the last of the two calls wins), as
         * Resilience4j's {@code recordExceptions} does when given alone.
         *
         * @throws IllegalArgumentException if {@code types} is empty or names a class that is not a
         *         {@link Throwable}
         */
        public Builder recordExceptions(Class<?>... types) {
            this.recordFailure = instanceOfAny("recordExceptions", types);
            return this;
        }

        /**
         * Ignores the errors that are instances of one of {@code types} (or of a subclass): neither
         * success nor failure, as {@link #ignoreErrors(Predicate)}, which it replaces (the last of
         * the two calls wins).
         *
         * @throws IllegalArgumentException if {@code types} is empty or names a class that is not a
         *         {@link Throwable}
         */
        public Builder ignoreExceptions(Class<?>... types) {
            this.ignoreErrors = instanceOfAny("ignoreExceptions", types);
            return this;
        }

        // Class<?>... rather than Class<? extends Throwable>...: a generic varargs array is not
        // reifiable (heap-pollution warnings at every call site); the type is checked here instead.
        private static Predicate<Throwable> instanceOfAny(String option, Class<?>[] types) {
            Objects.requireNonNull(types, option);
            if (types.length == 0) {
                throw new IllegalArgumentException(option + " needs at least one exception type, was none");
            }
            List<Class<?>> list = List.copyOf(Arrays.asList(types)); // rejects null elements
            for (Class<?> type : list) {
                if (!Throwable.class.isAssignableFrom(type)) {
                    throw new IllegalArgumentException(option + " takes Throwable types, was " + type.getName());
                }
            }
            return new NamedPredicate<>("instance of any of " + list, t -> {
                for (Class<?> type : list) {
                    if (type.isInstance(t)) {
                        return true;
                    }
                }
                return false;
            });
        }

        /**
         * Metrics-only (shadow) mode: the breaker records, evaluates, transitions, logs and
         * publishes events and meters exactly as it would, but admits every call. A call it would
         * have rejected runs; it is counted in {@link CircuitBreakerMetrics#notPermittedCalls()},
         * published as {@link CircuitBreakerListener#onShadowRejection} (meter kind
         * {@code shadow_rejected}) and its outcome is not recorded. The way to roll a breaker out on
         * a live service: watch what it would do, then turn enforcing on. Default false.
         */
        public Builder metricsOnly(boolean metricsOnly) {
            this.metricsOnly = metricsOnly;
            return this;
        }

        /**
         * Whether the breaker writes its transitions to SLF4J itself (logger
         * {@code dev.recloser.core.CircuitBreaker}; OPEN and FORCED_OPEN at WARN, others at INFO).
         * Default true. The log line is written on the thread that made the transition, often an
         * event loop: with a synchronous file appender that is blocking I/O there. Either give the
         * logger an asynchronous appender, or turn this off and register
         * {@link CircuitBreakerListener#transitionLogger()} (wrapped to run on an executor of your
         * choice) instead: the same lines, off the event loop.
         */
        public Builder logTransitions(boolean logTransitions) {
            this.logTransitions = logTransitions;
            return this;
        }

        /**
         * The wall clock {@link CircuitBreaker#transitionToOpenUntil} reads "now" from; default
         * {@link Clock#systemUTC()}. Waits themselves run on {@link #clock(NanoClock)}.
         */
        public Builder wallClock(Clock wallClock) {
            this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
            return this;
        }

        /**
         * Which errors count as neither success nor failure: the permit is released and the
         * window is not touched. Checked before {@link #recordFailure}. Default: none.
         */
        public Builder ignoreErrors(Predicate<? super Throwable> predicate) {
            this.ignoreErrors = Objects.requireNonNull(predicate, "ignoreErrors");
            return this;
        }

        /** Which successful values are failures (e.g. an HTTP 503 response). Default: none. */
        public Builder recordResult(Predicate<Object> predicate) {
            this.recordResult = Objects.requireNonNull(predicate, "recordResult");
            return this;
        }

        /** The clock for open waits, half-open waits and time windows; default {@link NanoClock#system()}. */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The random source of the open-wait jitter; must yield values in [0, 1) and be safe to
         * call from any thread. Default: {@code ThreadLocalRandom}.
         */
        public Builder randomSource(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "randomSource");
            return this;
        }

        /**
         * Builds the config.
         *
         * @throws IllegalArgumentException if {@code minimumNumberOfCalls} exceeds a count-based
         *         window's size (the rates could never be evaluated), or the open-wait cap is below
         *         the first wait
         */
        public CircuitBreakerConfig build() {
            if (slidingWindow.type() == SlidingWindow.Type.COUNT_BASED && minimumNumberOfCalls > slidingWindow.size()) {
                throw new IllegalArgumentException("minimumNumberOfCalls must be <= slidingWindow.size ("
                        + slidingWindow.size() + "), was " + minimumNumberOfCalls);
            }
            if (maxWaitDurationInOpenStateNanos < waitDurationInOpenStateNanos) {
                throw new IllegalArgumentException("openStateBackoff.maxWait must be >= waitDurationInOpenState ("
                        + Duration.ofNanos(waitDurationInOpenStateNanos) + "), was "
                        + Duration.ofNanos(maxWaitDurationInOpenStateNanos));
            }
            if (failureRateThresholdSet) {
                String warning = ratioWarning(failureRateThreshold);
                if (warning != null) {
                    org.slf4j.LoggerFactory.getLogger(CircuitBreakerConfig.class).warn(warning);
                }
            }
            return new CircuitBreakerConfig(this);
        }
    }

    /** A predicate with a readable {@code toString()} for the defaults. */
    private record NamedPredicate<T>(String name, Predicate<T> delegate) implements Predicate<T> {
        @Override
        public boolean test(T t) {
            return delegate.test(t);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
