package dev.recloser.core;

/**
 * Receives a breaker's events. Every method has an empty default, so a listener implements only
 * what it needs.
 *
 * <p>Events are delivered synchronously on the thread that caused them: keep listeners quick and
 * non-blocking. A transition is published once, by the thread whose compare-and-set made it.
 * When no listener is registered, the breaker calls a shared no-op and pays nothing else.
 */
public interface CircuitBreakerListener {

    /**
     * A listener that writes transitions to SLF4J exactly as a breaker does with
     * {@code logTransitions(true)}: for a breaker configured with {@code logTransitions(false)},
     * wrapped to run where blocking I/O is allowed, for example
     * {@code t -> executor.execute(() -> logger.onStateTransition(t))}.
     */
    static CircuitBreakerListener transitionLogger() {
        return TransitionLog.LISTENER;
    }

    /** The breaker changed state. */
    default void onStateTransition(StateTransition transition) {
    }

    /** A call was rejected in {@code state}. */
    default void onCallNotPermitted(CircuitBreaker breaker, CircuitBreaker.State state) {
    }

    /**
     * Metrics-only mode: the breaker would have rejected a call in {@code state} and let it run
     * instead (its outcome is not recorded). Never called in enforcing mode.
     */
    default void onShadowRejection(CircuitBreaker breaker, CircuitBreaker.State state) {
    }

    /**
     * A call finished as a success. Outcome events are reported for every finished call, also one
     * whose permit's generation is over (the window then drops it), and before any transition the
     * outcome causes.
     */
    default void onSuccess(CircuitBreaker breaker, long durationNanos, boolean slow) {
    }

    /**
     * A call finished as a failure: {@code error} is the error, or {@code null} when a result
     * matched {@code recordResult} (then {@code result} is that value).
     */
    default void onFailure(CircuitBreaker breaker, long durationNanos, boolean slow, Throwable error, Object result) {
    }

    /** A call ended in an ignored error: the permit was released, nothing recorded. */
    default void onIgnoredError(CircuitBreaker breaker, long durationNanos, Throwable error) {
    }
}
