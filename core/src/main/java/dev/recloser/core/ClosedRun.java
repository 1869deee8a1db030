package dev.recloser.core;

import dev.recloser.core.internal.window.OutcomeWindow;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The mutable evidence of one CLOSED period: its sliding window and its run of consecutive
 * failures. A new run starts with every transition to CLOSED, so outcomes that race past a
 * transition land in a run nobody reads any more instead of polluting the new one.
 */
final class ClosedRun {

    private static final VarHandle CONSECUTIVE;

    static {
        try {
            CONSECUTIVE = MethodHandles.lookup().findVarHandle(ClosedRun.class, "consecutiveFailures", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final OutcomeWindow window;
    @SuppressWarnings("unused") // accessed through CONSECUTIVE
    private volatile int consecutiveFailures;

    ClosedRun(OutcomeWindow window) {
        this.window = window;
    }

    /** Counts one more failure in a row; returns the new run length. */
    int incrementConsecutiveFailures() {
        return (int) CONSECUTIVE.getAndAdd(this, 1) + 1;
    }

    /**
     * Ends the run of failures. Reads first so that the healthy path (run already 0) does not
     * write the shared line at all; a failure racing with the reset may survive it, which is the
     * same outcome as the failure landing just after the success.
     */
    void clearConsecutiveFailures() {
        if ((int) CONSECUTIVE.getOpaque(this) != 0) {
            CONSECUTIVE.setRelease(this, 0);
        }
    }

    int consecutiveFailures() {
        return (int) CONSECUTIVE.getVolatile(this);
    }
}
