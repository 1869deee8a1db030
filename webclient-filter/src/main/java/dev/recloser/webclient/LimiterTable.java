package dev.recloser.webclient;

import dev.recloser.core.limit.ConcurrencyLimitConfig;
import dev.recloser.core.limit.ConcurrencyLimiter;
import dev.recloser.reactor.ConcurrencyLimitOperator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * The adaptive concurrency limiters of one filter, one per key (named {@code "http:" + key}), at
 * most {@code maxLimiters} of them.
 *
 * <p>Contract: {@link #acquire(String)} returns the entry of a key, creating its limiter on first
 * use. When the table is full, creating one first evicts the least recently used limiter with no
 * call in flight (forgetting a learned limit costs a relearning, never an unbounded call). When
 * every limiter has calls in flight, {@code acquire} returns null and that call runs without a
 * limit (logged once at WARN), so the table never exceeds its bound. Thread-safe; the lookup of a
 * known key is a lock-free hash map read plus at most one opaque store.
 *
 * <p>Implementation notes: recency stamps and the reserved-slot bound work as in
 * {@link BreakerTable} (see its notes). There is no registry, so eviction is one conditional
 * remove. A thread that read an entry just before its eviction makes one more call through the
 * detached limiter, which only means that call is limited by the old estimate.
 */
final class LimiterTable {

    private static final Logger LOG = LoggerFactory.getLogger(LimiterTable.class);

    private final ConcurrencyLimitConfig config;
    private final int maxLimiters;
    private final Predicate<Object> dropOnResult;
    private final ConcurrentHashMap<String, Entry> entries;
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicBoolean overflowLogged = new AtomicBoolean();

    LimiterTable(ConcurrencyLimitConfig config, int maxLimiters, Predicate<Object> dropOnResult) {
        this.config = config;
        this.maxLimiters = maxLimiters;
        this.dropOnResult = dropOnResult;
        this.entries = new ConcurrentHashMap<>(Math.min(maxLimiters, 64));
    }

    /** The entry of {@code key}, created if absent; null if the table is full of busy limiters. */
    Entry acquire(String key) {
        Entry e = entries.get(key);
        if (e != null) {
            e.touch(epoch.getOpaque());
            return e;
        }
        if (!reserveSlot()) {
            if (overflowLogged.compareAndSet(false, true)) {
                LOG.warn("All {} concurrency limiters of this filter have calls in flight; calls to new keys such as "
                        + "'{}' run without a limit until one is idle", maxLimiters, key);
            }
            return null;
        }
        Entry fresh = new Entry(key, ConcurrencyLimiter.of(BreakerTable.NAME_PREFIX + key, config), dropOnResult,
                epoch.incrementAndGet());
        Entry raced = entries.putIfAbsent(key, fresh);
        if (raced != null) {
            size.decrementAndGet();
            raced.touch(epoch.getOpaque());
            return raced;
        }
        return fresh;
    }

    private boolean reserveSlot() {
        for (;;) {
            int n = size.get();
            if (n < maxLimiters) {
                if (size.compareAndSet(n, n + 1)) {
                    return true;
                }
            } else if (!evictOne()) {
                return false;
            }
        }
    }

    /** Evicts the least recently used idle limiter; false if every limiter has calls in flight. */
    private boolean evictOne() {
        Entry victim = null;
        for (Entry e : entries.values()) {
            if (e.limiter.inFlight() == 0 && (victim == null || e.lastUsedOpaque() < victim.lastUsedOpaque())) {
                victim = e;
            }
        }
        if (victim == null) {
            return false;
        }
        if (entries.remove(victim.key, victim)) {
            size.decrementAndGet();
        }
        return true; // or a racing eviction won: either way a slot may be free now
    }

    int size() {
        return entries.size();
    }

    /** The limiter of {@code key} if the table holds one; for tests and diagnostics. */
    ConcurrencyLimiter find(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.limiter;
    }

    int maxLimiters() {
        return maxLimiters;
    }

    /** One key's limiter, its operator (built once) and its recency stamp. */
    static final class Entry extends RecencyStamp {

        final String key;
        final ConcurrencyLimiter limiter;
        final ConcurrencyLimitOperator<ClientResponse> operator;

        Entry(String key, ConcurrencyLimiter limiter, Predicate<Object> dropOnResult, long createdEpoch) {
            super(createdEpoch);
            this.key = key;
            this.limiter = limiter;
            this.operator = ConcurrencyLimitOperator.<ClientResponse>of(limiter).dropOnResult(dropOnResult);
        }
    }
}
