package dev.recloser.core;

/**
 * A monotonic source of nanoseconds, the only notion of time in Recloser's core.
 *
 * <p>Only differences between two readings are meaningful, exactly as with
 * {@link System#nanoTime()}: values may be negative and have no relation to wall-clock time.
 * Implementations must be thread-safe and must never go backwards for a given instance.
 * Tests inject a manual clock (see {@code ManualClock} in the test sources) so that breakers run on
 * virtual time.
 */
@FunctionalInterface
public interface NanoClock {

    /** Returns the current reading in nanoseconds. */
    long nanoTime();

    /** Returns the system clock ({@link System#nanoTime()}). */
    static NanoClock system() {
        return SystemNanoClock.INSTANCE;
    }
}

/** The system clock as a singleton so that {@code clock == NanoClock.system()} checks are cheap. */
enum SystemNanoClock implements NanoClock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public String toString() {
        return "NanoClock.system()";
    }
}
