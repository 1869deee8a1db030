package dev.recloser.reactor;

/**
 * What a cancelled call tells the circuit breaker (a cancel is neither a completion nor an error:
 * the subscriber lost interest, e.g. a {@code take(1)}, a race with another source, or a client
 * that went away).
 */
public enum CancelOutcome {
    /** The permit is released with no outcome: the window is untouched, a trial permit can be taken again. The default. */
    IGNORE,
    /** The cancelled call counts as a success (e.g. {@code Flux} streams that are cancelled after enough data). */
    SUCCESS,
    /** The cancelled call counts as a failure (e.g. callers that cancel because the call took too long). */
    FAILURE
}
