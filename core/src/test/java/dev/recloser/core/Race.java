package dev.recloser.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Runs actions on threads released together, and rethrows the first failure. Bounded: joins with a timeout. */
final class Race {

    private Race() {
    }

    static void run(Runnable... actions) {
        CyclicBarrier start = new CyclicBarrier(actions.length);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (Runnable action : actions) {
            Thread t = new Thread(() -> {
                try {
                    start.await(30, TimeUnit.SECONDS);
                    action.run();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "race");
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.MINUTES.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (t.isAlive()) {
                throw new AssertionError("race thread did not finish within 2 minutes");
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a racing thread failed", failure.get());
        }
    }
}
