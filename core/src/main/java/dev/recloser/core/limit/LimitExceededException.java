package dev.recloser.core.limit;

import java.util.Objects;

/**
 * Signals that a {@link ConcurrencyLimiter} rejected a call because its current limit of calls was
 * in flight; the call was not run.
 *
 * <p>Stackless: built with suppression and stack-trace writing disabled, so a rejection costs an
 * allocation and no stack walk (an overloaded system raises it at the rate it sheds load). The
 * message is built only when asked for. Immutable and safe to share across threads.
 */
public final class LimitExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String limiterName;
    private final int limit;

    /**
     * Creates the exception; usually through {@link ConcurrencyLimiter#limitExceeded()}.
     *
     * @param limiterName the rejecting limiter's name
     * @param limit       its limit at the time of rejection
     * @throws NullPointerException if {@code limiterName} is null
     */
    public LimitExceededException(String limiterName, int limit) {
        super(null, null, false, false);
        this.limiterName = Objects.requireNonNull(limiterName, "limiterName");
        this.limit = limit;
    }

    /** The name of the limiter that rejected the call. */
    public String limiterName() {
        return limiterName;
    }

    /** The limit in force when the call was rejected. */
    public int limit() {
        return limit;
    }

    /** {@code "ConcurrencyLimiter 'name' is at its limit of N concurrent calls"}, built on demand. */
    @Override
    public String getMessage() {
        return "ConcurrencyLimiter '" + limiterName + "' is at its limit of " + limit + " concurrent calls";
    }
}
