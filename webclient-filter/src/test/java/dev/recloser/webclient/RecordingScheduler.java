package dev.recloser.webclient;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A virtual-time scheduler that also records the delay of every timed task, so that a test can
 * wait until a retry has been scheduled (the first attempt's I/O is real) and check the delay the
 * retry policy computed, before moving the virtual clock.
 */
final class RecordingScheduler implements Scheduler {

    final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    private final LinkedBlockingQueue<Duration> delays = new LinkedBlockingQueue<>();

    @Override
    public Disposable schedule(Runnable task) {
        return vts.schedule(task);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        Disposable d = vts.schedule(task, delay, unit);
        // Recorded once the task is in the virtual queue: a test that saw the delay may advance.
        delays.add(Duration.ofNanos(unit.toNanos(delay)));
        return d;
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return vts.schedulePeriodically(task, initialDelay, period, unit);
    }

    @Override
    public long now(TimeUnit unit) {
        return vts.now(unit);
    }

    @Override
    public Worker createWorker() {
        return vts.createWorker();
    }

    @Override
    public void dispose() {
        vts.dispose();
    }

    /** The delay of the next timed task, waiting for it on the test thread up to {@code timeout}. */
    Duration nextDelay(Duration timeout) {
        try {
            Duration d = delays.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (d == null) {
                throw new AssertionError("nothing was scheduled within " + timeout);
            }
            return d;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whether a timed task was scheduled and not yet taken by {@link #nextDelay}. */
    boolean hasPendingDelay() {
        return !delays.isEmpty();
    }

    void advanceBy(Duration d) {
        vts.advanceTimeBy(d);
    }
}
