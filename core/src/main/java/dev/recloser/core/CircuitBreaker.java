package dev.recloser.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A lock-free circuit breaker.
 *
 * <p><b>States.</b> {@link State#CLOSED} admits every call and records outcomes in a sliding
 * window; it opens when a trip condition of its {@link CircuitBreakerConfig} holds.
 * {@link State#OPEN} rejects every call without touching the window until the open wait has
 * elapsed; the first call after that moves it to {@link State#HALF_OPEN} (lazily, no timer thread),
 * which admits a bounded number of trial calls: they close it or re-open it.
 * {@link State#FORCED_OPEN} and {@link State#DISABLED} are manual states that reject, respectively
 * admit, everything and record nothing.
 *
 * <p><b>Permits.</b> The Reactor operators and the WebClient filter do this for you; code that calls
 * a breaker by hand uses the permit protocol: {@link #tryAcquirePermit()} before the call, then exactly one of {@link #onSuccess}, {@link #onError}, {@link #onResult} or
 * {@link #releasePermit} with the permit it returned. A permit carries the state generation it was
 * granted in; every transition starts a new generation, and an outcome reported with a permit of an
 * older generation is dropped (a slow failure admitted while CLOSED cannot decide a HALF_OPEN trial
 * or trip a breaker that closed meanwhile). Reporting twice for one permit is a caller bug: for a
 * HALF_OPEN permit it would count a trial twice.
 *
 * <p><b>What counts as a failure.</b> An error matched by the config's {@code ignoreErrors} is
 * neither (the permit is released); otherwise an error matched by {@code recordFailure} is a
 * failure and any other error a success. A value matched by {@code recordResult} is a failure. A
 * call slower than {@code slowCallDurationThreshold} is also slow, whatever its outcome.
 *
 * <p><b>Thread-safety.</b> Every method may be called from any thread. The state lives in one
 * immutable snapshot replaced by compare-and-set; no method blocks or takes a lock, and only the
 * thread that wins a transition publishes it to listeners and the log. The closed-path permit and
 * record and the open-path rejection allocate nothing.
 *
 * <p><b>Metrics-only mode.</b> With {@link CircuitBreakerConfig.Builder#metricsOnly(boolean)} the
 * breaker runs its state machine, events, logs and meters as usual but admits every call: a call it
 * would have rejected runs, is counted and published as a shadow rejection, and its outcome is not
 * recorded.
 *
 * <p>Not for implementing: the interface is sealed so that operators can rely on the behaviour
 * above; wrap a breaker to decorate it.
 */
public sealed interface CircuitBreaker permits DefaultCircuitBreaker {

    /** Returned by {@link #tryAcquirePermit()} when the call is rejected. */
    long NO_PERMIT = 0L;

    /** The states of a breaker. */
    enum State {
        /** Admits calls and records their outcomes. */
        CLOSED,
        /** Rejects calls until the open wait has elapsed. */
        OPEN,
        /** Admits a bounded number of trial calls that decide between CLOSED and OPEN. */
        HALF_OPEN,
        /** Manually opened: rejects every call until another manual transition. */
        FORCED_OPEN,
        /** Manually disabled: admits every call and records nothing. */
        DISABLED
    }

    /** A breaker with the given name and config, and no tags. */
    static CircuitBreaker of(String name, CircuitBreakerConfig config) {
        return new DefaultCircuitBreaker(name, config, Map.of());
    }

    /**
     * A breaker with the given name, config and tags. Tags are free-form key/value pairs that
     * describe the breaker (its host, its team); the meter binder adds them to every meter of the
     * breaker. Copied: later changes to the map do not reach the breaker.
     *
     * @throws NullPointerException if a key or a value is null
     */
    static CircuitBreaker of(String name, CircuitBreakerConfig config, Map<String, String> tags) {
        return new DefaultCircuitBreaker(name, config, tags);
    }

    /** A breaker with the given name and the {@link CircuitBreakerConfig#balanced()} config. */
    static CircuitBreaker ofDefaults(String name) {
        return new DefaultCircuitBreaker(name, CircuitBreakerConfig.balanced(), Map.of());
    }

    /** The breaker's name, as given at creation. */
    String name();

    /** The breaker's configuration. */
    CircuitBreakerConfig config();

    /** The breaker's tags, as given at creation (immutable, possibly empty). */
    Map<String, String> tags();

    /**
     * The current state. An OPEN breaker whose wait has elapsed still reports OPEN until the next
     * call moves it (see {@link #remainingOpenDuration()}).
     */
    State state();

    /** An immutable snapshot of the breaker's counters and rates. */
    CircuitBreakerMetrics metrics();

    /**
     * How long until the breaker admits a trial call: the rest of the open wait when OPEN (zero
     * once it has elapsed), the configured open wait when FORCED_OPEN (a polling hint: only a manual
     * transition ends that state), zero otherwise.
     */
    Duration remainingOpenDuration();

    /**
     * Asks to run one call. Never blocks, takes no lock, and allocates nothing.
     *
     * @return a permit to pass to exactly one outcome method, or {@link #NO_PERMIT} if the call
     *         must not run (the rejection is counted and published to listeners)
     */
    long tryAcquirePermit();

    /**
     * Builds the error for a rejected call: stackless, with the state and retry-after read now.
     * Allocates the exception, nothing else, and reads the clock only when OPEN. Its message is
     * built only if somebody asks for it.
     */
    CallNotPermittedException callNotPermitted();

    /**
     * Reports a successful call.
     *
     * @param permit        the permit from {@link #tryAcquirePermit()}
     * @param durationNanos the call's duration on the breaker's clock, used for slow-call detection
     *                      (pass 0 when not measured)
     */
    void onSuccess(long permit, long durationNanos);

    /**
     * Reports a call that ended in {@code error}, classified by the config (ignored, failure or
     * success).
     *
     * @throws RuntimeException whatever a classification predicate throws; the permit has then been
     *                          released with no outcome
     */
    void onError(long permit, long durationNanos, Throwable error);

    /**
     * Reports a call that produced {@code result}: a failure if the config's {@code recordResult}
     * matches it, a success otherwise.
     *
     * @throws RuntimeException whatever {@code recordResult} throws; the permit has then been
     *                          released with no outcome
     */
    void onResult(long permit, long durationNanos, Object result);

    /**
     * Gives a permit back with no outcome (a cancelled call). A released HALF_OPEN trial permit can
     * be granted again.
     */
    void releasePermit(long permit);

    /**
     * Moves to OPEN for the configured {@code waitDurationInOpenState} (no backoff growth, no
     * jitter): calls are rejected until then, and the first call after it is a half-open trial, as
     * after a trip. Does not count as a trip for the open-state backoff. If the breaker is OPEN
     * already, this replaces its deadline (no transition is published).
     */
    void transitionToOpen();

    /**
     * Moves to OPEN for {@code duration}, then to HALF_OPEN lazily as after a trip (a dependency
     * paused for a maintenance window). As {@link #transitionToOpen()} otherwise.
     *
     * @param duration positive, at most 100 years
     * @throws IllegalArgumentException if {@code duration} is out of range (naming the value)
     */
    void transitionToOpenFor(Duration duration);

    /**
     * Moves to OPEN until the wall-clock instant {@code until} (read from the config's
     * {@link CircuitBreakerConfig#wallClock()} now, then followed on the breaker's monotonic clock),
     * then to HALF_OPEN lazily. As {@link #transitionToOpenFor(Duration)} otherwise.
     *
     * @throws IllegalArgumentException if {@code until} is not in the future, or more than 100 years
     *         ahead
     */
    void transitionToOpenUntil(Instant until);

    /**
     * Moves to FORCED_OPEN: every call is rejected until another manual transition. A no-op when
     * already FORCED_OPEN.
     */
    void transitionToForcedOpen();

    /**
     * Moves to DISABLED: every call is admitted and nothing is recorded. A no-op when already
     * DISABLED.
     */
    void transitionToDisabled();

    /**
     * Moves to CLOSED with an empty window. A no-op when already CLOSED (the window and its
     * evidence are kept; {@link #reset()} clears them).
     */
    void transitionToClosed();

    /**
     * Moves to CLOSED with an empty window and clears every counter and the open-wait backoff, in
     * any state (also CLOSED: that is how to clear a closed breaker's window).
     */
    void reset();

    /**
     * Registers a listener for transitions, rejections and outcomes. Listeners run on the thread
     * that caused the event, must be quick and must not block; an exception a listener throws is
     * logged and otherwise ignored.
     *
     * @return a handle that removes the listener
     */
    ListenerRegistration addListener(CircuitBreakerListener listener);
}
