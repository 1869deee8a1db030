package dev.recloser.webclient;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.reactor.CircuitBreakerOperator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * The breakers of one filter, one per key, at most {@code maxBreakers} of them.
 *
 * <p>Contract: {@link #acquire(String)} returns the entry of a key, creating its breaker in the
 * registry (named {@code "http:" + key}) on first use. When the table is full, creating an entry
 * first evicts one: the least recently used CLOSED breaker, or else the least recently used OPEN
 * breaker whose open wait has elapsed (it only waits for a probe; forgetting it forgets its
 * backoff level, no protection). An evicted breaker is removed from the registry. HALF_OPEN,
 * FORCED_OPEN, DISABLED breakers and OPEN ones still waiting are never evicted: when nothing can
 * be evicted, {@code acquire} returns null and that call runs without a breaker, so the table never
 * exceeds its bound and never rejects traffic for lack of room. Thread-safe; lookup of an existing
 * key is a lock-free hash map read plus at most one opaque store; nothing here blocks.
 */
final class BreakerTable {

    /*
     * Implementation notes.
     *
     * Recency. 'epoch' counts entry creations. A hit stamps its entry with the current epoch
     * (skipping the store when the stamp is already current, so hot keys do not bounce a cache line
     * between cores). Eviction only happens at a creation, so "least recently used" only needs to
     * order entries by the creation epoch of their last use: an entry used since the last creation
     * is as recent as it can be. The hot path reads 'epoch' and writes no shared counter. Stamps
     * are hints read by a racy scan, so opaque access is enough: no word tearing and eventual
     * visibility; a stale stamp at worst evicts a breaker used a moment ago, which costs its window.
     *
     * Bound. 'size' counts reserved slots; a creation reserves one by CAS before it inserts, so the
     * number of entries never exceeds maxBreakers. A creation that loses the putIfAbsent race gives
     * its slot back and uses the winner's entry (the registry returned the same breaker to both).
     *
     * Eviction order. The victim is removed from the registry first and from the table second:
     * while it is still in the table, a miss on its key cannot happen, so no thread can fetch the
     * victim back from the registry and re-insert it after the registry removal. One interleaving
     * remains: a creation fetched the breaker from the registry while it still had an entry, and
     * that entry was evicted before the creation inserted its own; so a creation checks, after its
     * insert, that the registry still holds its breaker, and starts again if not. A thread that read
     * the victim's entry just before its removal makes one more call through the detached breaker,
     * which is harmless. The scan's state checks race with transitions (a CLOSED victim may trip at
     * that instant); that only loses the victim's window.
     *
     * Shared registry. Several filters (several WebClients) may share one registry, and so the
     * breaker of a key: each table then holds an entry for the same instance. When one table evicts
     * it, or anybody removes it from the registry, every table that holds it must forget it, or the
     * tables would go on with different instances of one name (the registry's, re-created on the
     * next miss, and the detached one). So each table follows the registry's removals
     * (onRemoved) and drops its entry for the removed instance, with the same conditional remove
     * and size decrement as evictOne: whichever of the two removes the entry gives its slot back,
     * once. The removal is reported after the registry dropped the breaker, so the ordering above
     * (registry first, table second) holds for every table; a table's creation that raced the
     * removal is caught by the same re-check after its insert. The listener holds the table weakly
     * and deregisters itself at the first removal after the table is gone, so filters built and
     * dropped repeatedly do not pile up live tables on a long-lived registry (only these small
     * listeners, until the next removal).
     */

    private static final Logger LOG = LoggerFactory.getLogger(BreakerTable.class);

    /** The prefix of every breaker name this filter creates. */
    static final String NAME_PREFIX = "http:";

    private final CircuitBreakerRegistry registry;
    private final CircuitBreakerConfig config;
    private final int maxBreakers;
    private final ConcurrentHashMap<String, Entry> entries;
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicBoolean overflowLogged = new AtomicBoolean();

    BreakerTable(CircuitBreakerRegistry registry, CircuitBreakerConfig config, int maxBreakers) {
        this.registry = registry;
        this.config = config;
        this.maxBreakers = maxBreakers;
        this.entries = new ConcurrentHashMap<>(Math.min(maxBreakers, 64));
        RemovalFollower follower = new RemovalFollower(this);
        follower.registration = registry.addRegistryListener(follower, false);
    }

    /** The registry removed {@code breaker}: forget it if this table holds it (see the notes). */
    void removed(CircuitBreaker breaker) {
        String name = breaker.name();
        if (!name.startsWith(NAME_PREFIX)) {
            return;
        }
        String key = name.substring(NAME_PREFIX.length());
        Entry e = entries.get(key);
        if (e != null && e.breaker == breaker && entries.remove(key, e)) {
            size.decrementAndGet();
        }
    }

    /** Follows the registry's removals for one table, which it holds weakly (see the notes). */
    private static final class RemovalFollower implements CircuitBreakerRegistry.RegistryListener {

        private final java.lang.ref.WeakReference<BreakerTable> table;
        /** Set right after registration; a removal reported before that finds the table alive anyway. */
        volatile dev.recloser.core.ListenerRegistration registration;

        RemovalFollower(BreakerTable table) {
            this.table = new java.lang.ref.WeakReference<>(table);
        }

        @Override
        public void onRemoved(CircuitBreaker breaker) {
            BreakerTable t = table.get();
            if (t != null) {
                t.removed(breaker);
            } else {
                dev.recloser.core.ListenerRegistration r = registration;
                if (r != null) {
                    r.remove();
                }
            }
        }
    }

    /** The entry of {@code key}, created if absent; null if the table is full of breakers it must keep. */
    Entry acquire(String key) {
        Entry e = entries.get(key);
        if (e != null) {
            e.touch(epoch.getOpaque());
            return e;
        }
        return create(key);
    }

    private Entry create(String key) {
        if (!reserveSlot()) {
            if (overflowLogged.compareAndSet(false, true)) {
                LOG.warn("All {} breakers of this filter must be kept (open and waiting, half-open, forced open "
                        + "or disabled); calls to new keys such as '{}' run without a breaker until one can be "
                        + "evicted", maxBreakers, key);
            }
            return null;
        }
        String name = NAME_PREFIX + key;
        for (;;) {
            CircuitBreaker breaker = registry.breaker(name, config);
            Entry fresh = new Entry(key, breaker, epoch.incrementAndGet());
            Entry raced = entries.putIfAbsent(key, fresh);
            if (raced != null) {
                size.decrementAndGet();
                raced.touch(epoch.getOpaque());
                return raced;
            }
            if (registry.find(name).orElse(null) == breaker) {
                return fresh;
            }
            // An eviction removed this breaker from the registry between our lookup and our insert
            // (see the notes): undo the insert and look again, so the table never holds a breaker
            // the registry has dropped. The slot stays reserved for the next try.
            if (!entries.remove(key, fresh)) {
                return acquire(key); // evicted again meanwhile, slot given back by the evictor
            }
        }
    }

    private boolean reserveSlot() {
        for (;;) {
            int n = size.get();
            if (n < maxBreakers) {
                if (size.compareAndSet(n, n + 1)) {
                    return true;
                }
            } else if (!evictOne()) {
                return false;
            }
        }
    }

    /** Evicts one entry; false if none may be evicted. True also when a racing eviction won. */
    boolean evictOne() {
        Entry closed = null;
        Entry staleOpen = null;
        for (Entry e : entries.values()) {
            CircuitBreaker.State state = e.breaker.state();
            if (state == CircuitBreaker.State.CLOSED) {
                if (closed == null || e.lastUsedOpaque() < closed.lastUsedOpaque()) {
                    closed = e;
                }
            } else if (closed == null && state == CircuitBreaker.State.OPEN
                    && (staleOpen == null || e.lastUsedOpaque() < staleOpen.lastUsedOpaque())
                    && e.breaker.remainingOpenDuration().isZero()) {
                staleOpen = e;
            }
        }
        Entry victim = closed != null ? closed : staleOpen;
        if (victim == null) {
            return false;
        }
        registry.remove(victim.breaker); // first: see the notes
        if (entries.remove(victim.key, victim)) {
            size.decrementAndGet();
        }
        return true;
    }

    /** The number of entries (breakers held by this table). */
    int size() {
        return entries.size();
    }

    /** The breaker of {@code key} if the table holds one; for tests and diagnostics. */
    CircuitBreaker find(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.breaker;
    }

    int maxBreakers() {
        return maxBreakers;
    }

    /** The registry the breakers are created in. */
    CircuitBreakerRegistry registry() {
        return registry;
    }

    /** One key's breaker, its operator (built once) and its recency stamp. */
    static final class Entry extends RecencyStamp {

        final String key;
        final CircuitBreaker breaker;
        final CircuitBreakerOperator<ClientResponse> operator;

        Entry(String key, CircuitBreaker breaker, long createdEpoch) {
            super(createdEpoch);
            this.key = key;
            this.breaker = breaker;
            this.operator = CircuitBreakerOperator.of(breaker);
        }
    }
}
