package dev.recloser.spring;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerListener;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.ListenerRegistration;
import dev.recloser.core.StateTransition;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The most recent state transitions of every breaker of a registry, in a bounded ring, for the
 * {@code circuitbreakerevents} endpoint. Follows breakers added later.
 *
 * <p>Recording runs on the thread that made the transition (often an event loop): one atomic
 * increment and one array store, no lock, no blocking. A reader copies the ring and sorts by
 * sequence number; a transition being written while a reader copies may be missed by that read.
 */
public final class TransitionLog implements AutoCloseable {

    /**
     * One transition.
     *
     * @param sequence    increases by one per transition recorded, across breakers
     * @param time        the wall-clock time it was recorded
     * @param breakerName the breaker
     * @param from        the state left
     * @param to          the state entered
     * @param reason      why
     */
    public record Entry(long sequence, Instant time, String breakerName, CircuitBreaker.State from,
                        CircuitBreaker.State to, StateTransition.Reason reason) {
    }

    private final AtomicReferenceArray<Entry> ring;
    private final AtomicLong next = new AtomicLong();
    private final Clock clock;
    private final Map<CircuitBreaker, ListenerRegistration> listening = new ConcurrentHashMap<>();
    private final ListenerRegistration registryRegistration;
    private final CircuitBreakerListener listener = new CircuitBreakerListener() {
        @Override
        public void onStateTransition(StateTransition t) {
            record(t);
        }
    };

    /**
     * @param registry the breakers to follow, now and later
     * @param capacity the most transitions kept, >= 1
     * @param clock    the wall clock for {@link Entry#time()}
     */
    public TransitionLog(CircuitBreakerRegistry registry, int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.ring = new AtomicReferenceArray<>(capacity);
        this.clock = clock;
        this.registryRegistration = registry.addRegistryListener(new CircuitBreakerRegistry.RegistryListener() {
            @Override
            public void onAdded(CircuitBreaker breaker) {
                listening.computeIfAbsent(breaker, b -> b.addListener(listener));
            }

            @Override
            public void onRemoved(CircuitBreaker breaker) {
                ListenerRegistration r = listening.remove(breaker);
                if (r != null) {
                    r.remove();
                }
            }
        }, true);
    }

    private void record(StateTransition t) {
        long seq = next.getAndIncrement();
        ring.set((int) (seq % ring.length()),
                new Entry(seq, clock.instant(), t.breakerName(), t.from(), t.to(), t.reason()));
    }

    /** The transitions kept, oldest first; at most the capacity. */
    public List<Entry> entries() {
        List<Entry> list = new ArrayList<>(ring.length());
        for (int i = 0; i < ring.length(); i++) {
            Entry e = ring.get(i);
            if (e != null) {
                list.add(e);
            }
        }
        list.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        return list;
    }

    /** Stops following the registry and its breakers. */
    @Override
    public void close() {
        registryRegistration.remove();
        listening.values().forEach(ListenerRegistration::remove);
        listening.clear();
    }
}
