package dev.recloser.core.limit;

import dev.recloser.testing.ManualClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A deterministic discrete-event model of a dependency behind a limiter, on a {@link ManualClock}:
 * open-loop arrivals at a fixed rate; each arrival asks the limiter for a permit (a rejection is
 * shed at once); an admitted call joins a FIFO queue in front of {@code capacity} workers, each
 * serving one call at a time for the base service time (with a seeded +-20% spread). So a call's
 * latency is its service time plus its wait in the queue, and grows with the concurrency admitted
 * beyond the capacity. Capacity can change mid-run. Single-threaded; the same inputs give the same
 * trace.
 */
final class DependencyModel {

    private static final int ARRIVAL = 0;
    private static final int DONE = 1;

    private record Event(long atNanos, long order, int kind, long permit) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(atNanos, o.atNanos);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private final ManualClock clock;
    private final ConcurrencyLimiter limiter;
    private final long serviceNanos;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final ArrayDeque<Long> queue = new ArrayDeque<>();
    private final SplittableRandom random = new SplittableRandom(42);
    private final List<Integer> limits = new ArrayList<>();
    private long order;
    private int capacity;
    private int busy;
    private long interArrivalNanos;
    private long served;

    /**
     * @param loadFactor the offered load as a multiple of the capacity's throughput ({@code capacity / service})
     */
    DependencyModel(ManualClock clock, ConcurrencyLimiter limiter, int capacity, long serviceNanos, double loadFactor) {
        this.clock = clock;
        this.limiter = limiter;
        this.serviceNanos = serviceNanos;
        this.capacity = capacity;
        this.interArrivalNanos = Math.max(1, (long) (serviceNanos / (capacity * loadFactor)));
        schedule(clock.nanoTime(), ARRIVAL, 0);
    }

    /** Changes the number of workers; calls in service finish, fewer start. Keeps the arrival rate. */
    DependencyModel capacity(int workers) {
        this.capacity = workers;
        startQueued();
        return this;
    }

    /** Runs until the limiter has closed {@code count} more windows; records the limit after each. */
    DependencyModel runWindows(int count) {
        long target = limiter.windows() + count;
        long seen = limiter.windows();
        while (limiter.windows() < target) {
            step();
            long w = limiter.windows();
            if (w != seen) {
                seen = w;
                limits.add(limiter.limit());
            }
        }
        return this;
    }

    /** The limit after each closed window, in order. */
    List<Integer> limits() {
        return limits;
    }

    /** The limits of the last {@code n} windows. */
    List<Integer> last(int n) {
        return limits.subList(limits.size() - n, limits.size());
    }

    long served() {
        return served;
    }

    private void step() {
        Event e = events.poll();
        long now = clock.nanoTime();
        if (e.atNanos > now) {
            clock.advanceNanos(e.atNanos - now);
        }
        if (e.kind == ARRIVAL) {
            long permit = limiter.tryAcquire();
            if (permit != ConcurrencyLimiter.NO_PERMIT) {
                queue.add(permit);
                startQueued();
            }
            schedule(e.atNanos + interArrivalNanos, ARRIVAL, 0);
        } else {
            busy--;
            served++;
            limiter.onSuccess(e.permit);
            startQueued();
        }
    }

    private void startQueued() {
        while (busy < capacity && !queue.isEmpty()) {
            busy++;
            long spread = (long) (serviceNanos * 0.2 * (2 * random.nextDouble() - 1));
            schedule(clock.nanoTime() + serviceNanos + spread, DONE, queue.poll());
        }
    }

    private void schedule(long at, int kind, long permit) {
        events.add(new Event(at, order++, kind, permit));
    }
}
