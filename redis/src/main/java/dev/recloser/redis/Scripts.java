package dev.recloser.redis;

/**
 * The Lua scripts: each runs atomically on the store and reads the store's clock
 * ({@code redis.call('TIME')}), so every deadline and expiry is on one clock whatever the
 * instances' clocks say. All keys of a namespace share one hash tag, so a script's keys sit in one
 * cluster slot.
 */
final class Scripts {

    private Scripts() {
    }

    private static final String NOW = "local t = redis.call('TIME')\n"
            + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n";

    /** KEYS: member key, members zset. ARGV: instance, ttlMs. Returns {nowMs, liveMembers}. */
    static final String HEARTBEAT = NOW
            + "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])\n"
            + "redis.call('ZADD', KEYS[2], now, ARGV[1])\n"
            + "redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[2]))\n"
            + "return {now, redis.call('ZCARD', KEYS[2])}\n";

    /** KEYS: member key, members zset. ARGV: instance. Leaving the fleet. */
    static final String LEAVE = "redis.call('DEL', KEYS[1])\nredis.call('ZREM', KEYS[2], ARGV[1])\nreturn 1\n";

    /**
     * A vote for OPEN. KEYS: votes zset, verdict key, members zset, epoch key. ARGV: instance,
     * remainingMs, voteWindowMs, quorumInstances, quorumFraction, memberTtlMs, channel, reason,
     * failureRate, slowCallRate, breaker, retentionMs.
     * Returns {1, epoch, untilMs, nowMs, message} when this vote reached the quorum and the verdict
     * was published; {2, votes, need, nowMs, current} when an OPEN verdict is running already;
     * {0, votes, need, nowMs} otherwise.
     */
    static final String VOTE = NOW
            + "redis.call('ZADD', KEYS[1], now, ARGV[1])\n"
            + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))\n"
            + "redis.call('PEXPIRE', KEYS[1], ARGV[3])\n"
            + "local votes = redis.call('ZCARD', KEYS[1])\n"
            + "local live = redis.call('ZCOUNT', KEYS[3], now - tonumber(ARGV[6]), '+inf')\n"
            + "local need = math.max(tonumber(ARGV[4]), math.ceil(tonumber(ARGV[5]) * live))\n"
            + "local cur = redis.call('GET', KEYS[2])\n"
            + "if cur then\n"
            + "  local st, ep, un = string.match(cur, '^rf1|(%u+)|(%d+)|(%d+)|')\n"
            + "  if st == 'OPEN' and tonumber(un) > now then return {2, votes, need, now, cur} end\n"
            + "end\n"
            + "if votes < need then return {0, votes, need, now} end\n"
            + "local epoch = redis.call('INCR', KEYS[4])\n"
            + "local untilMs = now + tonumber(ARGV[2])\n"
            + "local msg = table.concat({'rf1', 'OPEN', epoch, untilMs, ARGV[1], ARGV[8], ARGV[9], ARGV[10], ARGV[11]}, '|')\n"
            + "redis.call('SET', KEYS[2], msg, 'PX', tonumber(ARGV[2]) + tonumber(ARGV[12]))\n"
            + "redis.call('DEL', KEYS[1])\n"
            + "redis.call('PUBLISH', ARGV[7], msg)\n"
            + "return {1, epoch, untilMs, now, msg}\n";

    /**
     * The probe lease. KEYS: lease key. ARGV: instance, leaseMs. Returns {1, pttl} when this
     * instance holds it (won now or already), {0, pttl} when another does.
     */
    static final String LEASE = "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, tonumber(ARGV[2])} end\n"
            + "if redis.call('GET', KEYS[1]) == ARGV[1] then return {1, redis.call('PTTL', KEYS[1])} end\n"
            + "return {0, redis.call('PTTL', KEYS[1])}\n";

    /**
     * The prober's verdict, accepted only from the lease holder. KEYS: lease, verdict, epoch, votes.
     * ARGV: instance, OPEN or CLOSED, remainingMs (OPEN), channel, reason, failureRate, slowCallRate,
     * breaker, retentionMs. Returns {1, epoch, untilMs, nowMs, message} or {0} when the caller does
     * not hold the lease (it expired: another instance may be probing).
     */
    static final String PROBE_VERDICT = "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {0} end\n" + NOW
            + "local epoch = redis.call('INCR', KEYS[3])\n"
            + "local untilMs = now\n"
            + "if ARGV[2] == 'OPEN' then untilMs = now + tonumber(ARGV[3]) end\n"
            + "local msg = table.concat({'rf1', ARGV[2], epoch, untilMs, ARGV[1], ARGV[5], ARGV[6], ARGV[7], ARGV[8]}, '|')\n"
            + "redis.call('SET', KEYS[2], msg, 'PX', (untilMs - now) + tonumber(ARGV[9]))\n"
            + "redis.call('DEL', KEYS[1])\n"
            + "redis.call('DEL', KEYS[4])\n"
            + "redis.call('PUBLISH', ARGV[4], msg)\n"
            + "return {1, epoch, untilMs, now, msg}\n";
}
