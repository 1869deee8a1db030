package dev.recloser.core.retry;

/**
 * Receives the events of a retrying operator, one subscription (one call) at a time; the Reactor
 * {@code RetryOperator} takes one through its {@code listener(...)} wither. Every method has an
 * empty default, so a listener implements only what it needs; {@link #NONE} implements nothing.
 *
 * <p>Per call, in order: zero or more {@link #onRetryScheduled} (one per retry), at most one
 * {@link #onBudgetRejected} (the retry budget refused the retry the policy allowed, which ends the
 * call), then exactly one of {@link #onCallFinished} (the call ended downstream with a value or
 * completion, or with an error) or {@link #onCallCancelled} (downstream cancelled first). Nothing
 * is reported for a call that neither ends nor is cancelled.
 *
 * <p>Attempt numbers count every subscription to the source made for the call, the first one
 * included; with {@code resetAttemptsOnNext} they keep counting across resets (unlike the retry
 * policy's count and {@link RetryExhaustedException#attempts()}, which start again at a reset).
 *
 * <p>Methods are called synchronously on the thread that signals the event (an attempt's thread,
 * a retry timer's thread, or the thread that cancels), possibly concurrently for different calls,
 * so an implementation must be thread-safe, quick and non-blocking: it runs on the call path. What
 * a method throws is caught and logged by the operator and never reaches the call (a JVM-fatal
 * error aside); the call goes on as if the listener had returned.
 */
public interface RetryListener {

    /** A listener that does nothing: the operators' default, which they skip without any work. */
    RetryListener NONE = new RetryListener() {
        @Override
        public String toString() {
            return "RetryListener.NONE";
        }
    };

    /**
     * The call ended, once per call: {@code succeeded} is true when it completed (a Flux), or
     * delivered its value or completed empty (a Mono), false when it ended with an error, the
     * retry's own {@link RetryExhaustedException} included. Called just before the terminal signal
     * (for a Mono with a value, the value) goes downstream. Not called for a call that downstream
     * cancelled first (see {@link #onCallCancelled}).
     *
     * @param succeeded whether the call ended without an error
     * @param attempts  the attempts made, {@code >= 1}; 1 means the call was never retried. 0 only
     *                  when the call failed before its first attempt (the policy's clock, the
     *                  budget or the scheduler supplier threw)
     */
    default void onCallFinished(boolean succeeded, int attempts) {
    }

    /**
     * Downstream cancelled the call before it ended; never followed by {@link #onCallFinished}, and
     * never called after it. Called on the cancelling thread, after the cancel took effect.
     *
     * @param attempts the attempts started so far, {@code >= 0} (an attempt being subscribed at the
     *                 very moment of the cancel may or may not be counted)
     */
    default void onCallCancelled(int attempts) {
    }

    /**
     * A retry was decided: the policy allowed it and the budget, if any, granted it. Called before
     * the wait starts (a zero delay re-subscribes at once). A cancel on another thread may overtake
     * this event, so it can arrive after {@link #onCallCancelled} of the same call; and if the
     * scheduler then rejects the timer, the call fails ({@link #onCallFinished} with false).
     *
     * @param attempt    the number the retried attempt will have: 2 for the first retry
     * @param delayNanos the wait before it, {@code >= 0}
     */
    default void onRetryScheduled(int attempt, long delayNanos) {
    }

    /**
     * The retry budget refused a retry the policy allowed: the call fails with
     * {@link RetryExhaustedException}, reported next through {@link #onCallFinished} (unless a
     * concurrent cancel overtakes it).
     */
    default void onBudgetRejected() {
    }
}
