package dev.recloser.core.retry;

import java.util.List;
import java.util.Objects;

/**
 * Signals that a call failed on every attempt its {@link RetryPolicy} allowed: attempts ran out,
 * the next delay did not fit the total duration, or a retry budget refused the next retry.
 *
 * <p>For an error-based failure the {@linkplain #getCause() cause} is the last attempt's error and
 * the errors of earlier attempts are {@linkplain #getSuppressed() suppressed}, oldest first. For a
 * result-based failure ({@link #ofResult}), the last attempt produced a value that
 * {@code retryOnResult} matched: there is no cause, and {@link #lastResult()} holds the value.
 * Which earlier errors to keep is the caller's choice (an operator may keep only the last few, or
 * none, to bound memory); errors can also be added later with {@link #addSuppressed(Throwable)}.
 *
 * <p>Unlike the fast-fail exceptions this one has a stack trace: it is raised once per exhausted
 * call, not on a hot path. Safe to publish to other threads once constructed.
 */
public final class RetryExhaustedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int attempts;
    private final transient Object lastResult;

    /**
     * An exhaustion whose last attempt failed with an error.
     *
     * @param attempts      the number of attempts made, {@code >= 1}
     * @param lastError     the last attempt's error, which becomes the cause
     * @param earlierErrors errors of earlier attempts, oldest first, added as suppressed; nulls and
     *                      {@code lastError} itself are skipped
     * @throws IllegalArgumentException if {@code attempts < 1}
     * @throws NullPointerException     if {@code lastError} or {@code earlierErrors} is null
     */
    public RetryExhaustedException(int attempts, Throwable lastError, List<? extends Throwable> earlierErrors) {
        this(attempts, Objects.requireNonNull(lastError, "lastError"), null, earlierErrors);
    }

    private RetryExhaustedException(int attempts, Throwable lastError, Object lastResult,
            List<? extends Throwable> earlierErrors) {
        super(null, lastError);
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1, was " + attempts);
        }
        Objects.requireNonNull(earlierErrors, "earlierErrors");
        this.attempts = attempts;
        this.lastResult = lastResult;
        for (Throwable earlier : earlierErrors) {
            if (earlier != null && earlier != lastError) {
                addSuppressed(earlier);
            }
        }
    }

    /**
     * An exhaustion whose last attempt produced a value that {@code retryOnResult} matched.
     *
     * @param attempts      the number of attempts made, {@code >= 1}
     * @param lastResult    the last attempt's value (kept for {@link #lastResult()}, not serialized)
     * @param earlierErrors errors of earlier attempts, oldest first, added as suppressed (attempts may
     *                      fail by error and by result in one call); nulls are skipped
     * @throws IllegalArgumentException if {@code attempts < 1}
     * @throws NullPointerException     if {@code earlierErrors} is null
     */
    public static RetryExhaustedException ofResult(int attempts, Object lastResult,
            List<? extends Throwable> earlierErrors) {
        return new RetryExhaustedException(attempts, null, lastResult, earlierErrors);
    }

    /** The number of attempts made, the first one included. */
    public int attempts() {
        return attempts;
    }

    /**
     * The value of the last attempt if it failed by result, otherwise null (also null after
     * deserialization: the value is not serialized).
     */
    public Object lastResult() {
        return lastResult;
    }

    /**
     * {@code "Retries exhausted after N attempts: <last error>"} (the error's {@code toString()}: its
     * class and message, since many errors have no message), or for a result-based
     * failure {@code "...: last result <type> matched retryOnResult"}; the value itself is left out
     * of the message, which may be logged, because it may be large or sensitive. Built on demand.
     */
    @Override
    public String getMessage() {
        Throwable cause = getCause();
        String prefix = "Retries exhausted after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ");
        if (cause != null) {
            return prefix + cause;
        }
        String type = lastResult == null ? "null" : lastResult.getClass().getName();
        return prefix + "last result " + type + " matched retryOnResult";
    }
}
