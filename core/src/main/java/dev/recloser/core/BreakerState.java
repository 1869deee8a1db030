package dev.recloser.core;

import dev.recloser.core.CircuitBreaker.State;

/**
 * One immutable snapshot of a breaker's state machine. The breaker holds exactly one, swapped by
 * compare-and-set; every transition creates a snapshot with a higher generation. Only HALF_OPEN
 * permit bookkeeping creates a snapshot without a transition (same generation), which is rare by
 * construction (at most a few trial calls per open period).
 */
final class BreakerState {

    final State state;
    /** Bumped by every transition; stamped into permits so that stale outcomes can be dropped. */
    final long generation;
    /** The evidence of the current (CLOSED) or last CLOSED period. */
    final ClosedRun run;
    /**
     * OPEN: when a trial may start. HALF_OPEN: when trials still all out are presumed stuck (the
     * last trial grant plus {@code maxWaitInHalfOpenState}). Otherwise unused.
     */
    final long deadlineNanos;
    /** HALF_OPEN: trial permits out. */
    final int trialsInFlight;
    /** HALF_OPEN: trials that succeeded in this generation. */
    final int trialSuccesses;
    /** Trips since the breaker last closed: drives the open-state backoff. */
    final int trips;

    private BreakerState(State state, long generation, ClosedRun run, long deadlineNanos,
                         int trialsInFlight, int trialSuccesses, int trips) {
        this.state = state;
        this.generation = generation;
        this.run = run;
        this.deadlineNanos = deadlineNanos;
        this.trialsInFlight = trialsInFlight;
        this.trialSuccesses = trialSuccesses;
        this.trips = trips;
    }

    static BreakerState closed(long generation, ClosedRun run) {
        return new BreakerState(State.CLOSED, generation, run, 0L, 0, 0, 0);
    }

    BreakerState toOpen(long openUntilNanos) {
        return new BreakerState(State.OPEN, generation + 1, run, openUntilNanos, 0, 0, trips + 1);
    }

    /** A manual open: like a trip, but it does not count towards the open-state backoff. */
    BreakerState toOpenManually(long openUntilNanos) {
        return new BreakerState(State.OPEN, generation + 1, run, openUntilNanos, 0, 0, trips);
    }

    /** The same OPEN state with another deadline (same generation: not a transition). */
    BreakerState withDeadline(long openUntilNanos) {
        return new BreakerState(State.OPEN, generation, run, openUntilNanos, 0, 0, trips);
    }

    /** The first trial: the thread that moves OPEN to HALF_OPEN takes the first permit itself. */
    BreakerState toHalfOpenWithOneTrial(long stuckDeadlineNanos) {
        return new BreakerState(State.HALF_OPEN, generation + 1, run, stuckDeadlineNanos, 1, 0, trips);
    }

    BreakerState withTrialGranted(long stuckDeadlineNanos) {
        return new BreakerState(State.HALF_OPEN, generation, run, stuckDeadlineNanos,
                trialsInFlight + 1, trialSuccesses, trips);
    }

    BreakerState withTrialReturned(boolean succeeded) {
        return new BreakerState(State.HALF_OPEN, generation, run, deadlineNanos,
                trialsInFlight - 1, trialSuccesses + (succeeded ? 1 : 0), trips);
    }

    BreakerState toClosed(ClosedRun freshRun) {
        return closed(generation + 1, freshRun);
    }

    BreakerState toManual(State manual) {
        return new BreakerState(manual, generation + 1, run, 0L, 0, 0, 0);
    }

    @Override
    public String toString() {
        return state + "#" + generation + (state == State.HALF_OPEN
                ? "{trials=" + trialsInFlight + ", successes=" + trialSuccesses + '}' : "");
    }
}
