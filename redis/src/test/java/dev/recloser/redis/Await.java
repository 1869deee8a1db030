package dev.recloser.redis;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Bounded polling for conditions that depend on a real Redis's real-time expiries: checks every
 * 5 ms, fails with {@code what} after {@code timeout}. The only waiting the fleet tests do.
 */
final class Await {

    private Await() {
    }

    static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }

    /** Polls {@code action} for {@code duration} (a condition that must hold the whole time, checked by the action). */
    static void during(Duration duration, Runnable action) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - end < 0) {
            action.run();
            LockSupport.parkNanos(5_000_000L);
        }
    }
}
