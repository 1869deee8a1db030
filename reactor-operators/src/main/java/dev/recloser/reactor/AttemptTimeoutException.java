package dev.recloser.reactor;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Signalled by {@link TimeoutOperator} when a call takes too long. A {@link TimeoutException}, so
 * {@code onErrorResume(TimeoutException.class, ...)} catches it; stackless, since its stack would
 * only show the timer thread, and timeouts come in floods during an outage.
 */
public final class AttemptTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;
    private final boolean perElement;

    AttemptTimeoutException(Duration timeout, boolean perElement) {
        super(null);
        this.timeout = timeout;
        this.perElement = perElement;
    }

    /** The timeout that elapsed. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether it was a per-element timeout (else a total one). */
    public boolean perElement() {
        return perElement;
    }

    @Override
    public String getMessage() {
        return perElement
                ? "Did not observe the next item or a terminal signal within " + timeout.toMillis() + " ms"
                : "Did not observe a terminal signal within " + timeout.toMillis() + " ms";
    }

    @Override
    public Throwable fillInStackTrace() {
        return this;
    }
}
