package dev.recloser.core;

/**
 * One state change of a breaker, as published to listeners.
 *
 * @param breakerName the breaker's name
 * @param from        the state left
 * @param to          the state entered
 * @param generation  the generation of the new state
 * @param reason      why the breaker moved
 * @param metrics     the breaker's counters at the transition (for OPEN: the window that tripped it)
 * @param breaker     the breaker itself (its config and tags)
 */
public record StateTransition(String breakerName, CircuitBreaker.State from, CircuitBreaker.State to,
                              long generation, Reason reason, CircuitBreakerMetrics metrics,
                              CircuitBreaker breaker) {

    /** Why a breaker changed state. */
    public enum Reason {
        /** The failure rate reached its threshold. */
        FAILURE_RATE,
        /** The slow-call rate reached its threshold. */
        SLOW_CALL_RATE,
        /** Consecutive failures reached their threshold. */
        CONSECUTIVE_FAILURES,
        /** The open wait elapsed and a trial call was admitted. */
        OPEN_WAIT_ELAPSED,
        /** Enough trial calls succeeded. */
        TRIALS_SUCCEEDED,
        /** A trial call failed or was slow. */
        TRIAL_FAILED,
        /** Every trial permit was out for longer than {@code maxWaitInHalfOpenState}. */
        TRIALS_TIMED_OUT,
        /** A manual transition ({@code transitionTo...}), including a manual OPEN. */
        MANUAL,
        /** {@link CircuitBreaker#reset()}. */
        RESET,
        /**
         * A verdict of the fleet, applied through {@link dev.recloser.core.fleet.FleetControl}: this
         * instance follows other instances (an open with the shared deadline, or the prober's close).
         * A fleet never republishes these.
         */
        FLEET
    }
}
