package dev.recloser.webclient;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The recency stamp of a bounded table's entry ({@link BreakerTable}, {@link LimiterTable}): the
 * table's epoch at the entry's last use, read and written opaque. A stale read at worst evicts an
 * entry used a moment ago (see BreakerTable's notes); the conditional store keeps a key used on
 * every call from writing its cache line on every call.
 */
abstract class RecencyStamp {

    private static final VarHandle LAST_USED;

    static {
        try {
            LAST_USED = MethodHandles.lookup().findVarHandle(RecencyStamp.class, "lastUsed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through LAST_USED
    private long lastUsed;

    /** @param createdEpoch the epoch of creation; published with the entry by the map's putIfAbsent */
    RecencyStamp(long createdEpoch) {
        this.lastUsed = createdEpoch;
    }

    final long lastUsedOpaque() {
        return (long) LAST_USED.getOpaque(this);
    }

    final void touch(long now) {
        if (lastUsedOpaque() != now) {
            LAST_USED.setOpaque(this, now);
        }
    }
}
