package dev.recloser.testing;

import dev.recloser.core.NanoClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link NanoClock} that moves only when a test says so. Thread-safe. */
public final class ManualClock implements NanoClock {

    private final AtomicLong nanos;

    public ManualClock() {
        this(1_000_000_000L);
    }

    public ManualClock(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    public ManualClock advance(Duration d) {
        nanos.addAndGet(d.toNanos());
        return this;
    }

    public ManualClock advanceNanos(long n) {
        nanos.addAndGet(n);
        return this;
    }
}
