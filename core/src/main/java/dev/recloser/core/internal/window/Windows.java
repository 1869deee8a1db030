package dev.recloser.core.internal.window;

import dev.recloser.core.SlidingWindow;
import java.util.Objects;

/** Builds the live window a {@link SlidingWindow} describes. Internal: see the package javadoc. */
public final class Windows {

    private Windows() {
    }

    /**
     * A new, empty live window that evaluates {@code rule}.
     *
     * @param spec     the window's description
     * @param rule     the trip conditions, evaluated when a failed or slow outcome is recorded
     * @param nowNanos the current clock reading (the origin of a time-based window's buckets)
     */
    public static OutcomeWindow newWindow(SlidingWindow spec, TripRule rule, long nowNanos) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(rule, "rule");
        return spec.type() == SlidingWindow.Type.COUNT_BASED
                ? new CountWindow(spec.size(), rule)
                : new TimeWindow(spec.length().toNanos(), spec.buckets(), rule, nowNanos);
    }
}
