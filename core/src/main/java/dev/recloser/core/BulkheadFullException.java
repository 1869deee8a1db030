package dev.recloser.core;

import java.util.Objects;

/**
 * Signals that a {@link Bulkhead} rejected a call because all its permits were taken; the call was
 * not run.
 *
 * <p>Stackless: built with suppression and stack-trace writing disabled, so a rejection costs an
 * allocation and no stack walk; the stack trace is always empty (a saturated system may raise it
 * millions of times, and the interesting stack is the caller's). The message is built only when
 * asked for. Immutable and safe to share across threads.
 */
public final class BulkheadFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String bulkheadName;
    private final int maxConcurrentCalls;

    /**
     * Creates the exception; usually through {@link Bulkhead#fullException()}.
     *
     * @param bulkheadName       the rejecting bulkhead's name
     * @param maxConcurrentCalls its number of permits, all taken at the time of rejection
     * @throws NullPointerException if {@code bulkheadName} is null
     */
    public BulkheadFullException(String bulkheadName, int maxConcurrentCalls) {
        super(null, null, false, false);
        this.bulkheadName = Objects.requireNonNull(bulkheadName, "bulkheadName");
        this.maxConcurrentCalls = maxConcurrentCalls;
    }

    /** The name of the bulkhead that rejected the call. */
    public String bulkheadName() {
        return bulkheadName;
    }

    /** The rejecting bulkhead's number of permits. */
    public int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    /** {@code "Bulkhead 'name' is full: N concurrent calls"}, built on demand. */
    @Override
    public String getMessage() {
        return "Bulkhead '" + bulkheadName + "' is full: " + maxConcurrentCalls + " concurrent calls";
    }
}
