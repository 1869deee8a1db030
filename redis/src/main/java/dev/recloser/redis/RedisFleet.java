package dev.recloser.redis;

import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.ListenerRegistration;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One instance's membership in a fleet of breakers shared over Redis.
 *
 * <p>Every breaker of a {@linkplain #join(CircuitBreakerRegistry) joined} registry takes part: when
 * it trips, this instance votes; when enough distinct instances vote within the open wait (the
 * quorum), the store publishes one OPEN verdict with a deadline on the store's clock, and every
 * member opens its breaker of that name until then (reason {@code FLEET}). At the deadline one
 * member wins a probe lease and runs the half-open trials; the others keep rejecting until its
 * verdict (close, or re-open with the grown wait) reaches them, or until the lease expires and
 * another member takes it. See {@code docs/fleet.md}.
 *
 * <p><b>The call path is untouched.</b> Breakers learn of verdicts through
 * {@link dev.recloser.core.fleet.FleetControl}, called from this fleet's own thread; a call never
 * waits for the store and never fails because of it. When the store is unreachable, the fleet is
 * local-only (every breaker decides alone) until a heartbeat succeeds again, then reconciles from
 * the persisted verdict keys.
 *
 * <p><b>Thread-safety.</b> Thread-safe. All fleet work (store commands' results, verdicts, timers,
 * logging) runs on one daemon thread per fleet, named {@code recloser-fleet-<instanceId>}, where
 * blocking log appenders are harmless. Breaker listeners only hand events to that thread.
 */
public final class RedisFleet implements AutoCloseable {

    private final FleetAgent agent;

    private RedisFleet(FleetAgent agent) {
        this.agent = agent;
    }

    /**
     * A builder for a fleet on its own Lettuce client to {@code uri} (credentials and TLS go in the
     * {@link RedisURI}; Sentinel too). The client is shut down by {@link #close()}.
     */
    public static Builder builder(RedisURI uri) {
        return new Builder(Objects.requireNonNull(uri, "uri"), null);
    }

    /**
     * A builder for a fleet on a client the caller owns and shuts down; {@code uri} is the one to
     * connect to. The client's own options (reconnect, timeouts) apply; {@link #close()} leaves it
     * running. Prefer {@link #builder(RedisURI)}, which sets the options fleet mode relies on
     * (commands rejected, not queued, while disconnected).
     */
    public static Builder builder(RedisClient client, RedisURI uri) {
        return new Builder(Objects.requireNonNull(uri, "uri"), Objects.requireNonNull(client, "client"));
    }

    /**
     * Every breaker of {@code registry}, those there now and those created later, joins the fleet
     * under its name. Breaker names must be unique across the registries one fleet joins.
     *
     * @return a handle that stops following breakers created later (those joined stay)
     */
    public ListenerRegistration join(CircuitBreakerRegistry registry) {
        return agent.join(Objects.requireNonNull(registry, "registry"));
    }

    /** This member's id, as written in its heartbeat key and verdicts. */
    public String instanceId() {
        return agent.settings.instanceId;
    }

    /** The namespace this member belongs to. */
    public String namespace() {
        return agent.settings.namespace;
    }

    /** Whether the store answered the last heartbeat; {@code false} means local-only decisions. */
    public boolean connected() {
        return agent.connected;
    }

    /** The counters, read now. */
    public FleetStats stats() {
        return agent.stats();
    }

    /**
     * Leaves the fleet: removes this member's heartbeat (best effort, bounded by the heartbeat
     * interval), stops the fleet thread, closes the connections and, for a fleet built with
     * {@link #builder(RedisURI)}, shuts its client down. Breakers keep their state and go on
     * locally. Idempotent.
     */
    @Override
    public void close() {
        agent.close();
    }

    /** Settings read by the agent; immutable. */
    static final class Settings {
        final String namespace;
        final String instanceId;
        final Duration heartbeat;
        final Duration memberTtl;
        final int quorumInstances;
        final double quorumFraction;
        final Duration leaseDuration;
        final int maxMessageBytes;
        final Duration verdictRetention;
        final Clock wallClock;

        Settings(Builder b) {
            this.namespace = b.namespace;
            this.instanceId = b.instanceId != null ? b.instanceId : UUID.randomUUID().toString();
            this.heartbeat = b.heartbeat;
            this.memberTtl = b.memberTtl != null ? b.memberTtl : b.heartbeat.multipliedBy(3);
            this.quorumInstances = b.quorumInstances;
            this.quorumFraction = b.quorumFraction;
            this.leaseDuration = b.leaseDuration;
            this.maxMessageBytes = b.maxMessageBytes;
            this.verdictRetention = b.verdictRetention;
            this.wallClock = b.wallClock;
        }
    }

    /**
     * Builds a {@link RedisFleet}. Every setter validates its value at once and throws
     * {@link IllegalArgumentException} naming the option and the value. Not thread-safe.
     */
    public static final class Builder {

        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
        private static final Duration MAX = Duration.ofDays(1);

        private final RedisURI uri;
        private final RedisClient client;
        private String namespace = "recloser";
        private String instanceId;
        private Duration heartbeat = Duration.ofSeconds(1);
        private Duration memberTtl;
        private int quorumInstances = 2;
        private double quorumFraction;
        private Duration leaseDuration = Duration.ofSeconds(5);
        private int maxMessageBytes = 4096;
        private Duration verdictRetention = Duration.ofMinutes(10);
        private Duration reconnectMin = Duration.ofMillis(100);
        private Duration reconnectMax = Duration.ofSeconds(10);
        private Clock wallClock = Clock.systemUTC();

        private Builder(RedisURI uri, RedisClient client) {
            this.uri = uri;
            this.client = client;
        }

        private static String name(String option, String value) {
            Objects.requireNonNull(value, option);
            if (!NAME.matcher(value).matches()) {
                throw new IllegalArgumentException(option + " must be 1 to 64 of [A-Za-z0-9._:-], was '" + value + "'");
            }
            return value;
        }

        private static Duration positive(String option, Duration value) {
            Objects.requireNonNull(value, option);
            if (value.isNegative() || value.isZero() || value.compareTo(MAX) > 0) {
                throw new IllegalArgumentException(option + " must be positive and at most 1 day, was " + value);
            }
            return value;
        }

        /** The namespace: fleets of different namespaces share nothing. Default {@code recloser}. */
        public Builder namespace(String namespace) {
            this.namespace = name("namespace", namespace);
            return this;
        }

        /** This member's id, unique in the namespace. Default: a random UUID. */
        public Builder instanceId(String instanceId) {
            this.instanceId = name("instanceId", instanceId);
            return this;
        }

        /**
         * How often this member refreshes its heartbeat key, and the bound on every store command
         * (half of it): a lost store is detected within about one and a half heartbeats. Default 1 s.
         */
        public Builder heartbeat(Duration heartbeat) {
            Duration h = positive("heartbeat", heartbeat);
            if (h.toMillis() < 10) {
                throw new IllegalArgumentException("heartbeat must be at least 10 ms, was " + heartbeat);
            }
            if (memberTtl != null && memberTtl.compareTo(h) <= 0) {
                throw new IllegalArgumentException("heartbeat must be shorter than memberTtl (" + memberTtl + "), was " + heartbeat);
            }
            this.heartbeat = h;
            return this;
        }

        /** How long a heartbeat keeps a member live. Default: three heartbeats. Must exceed the heartbeat. */
        public Builder memberTtl(Duration memberTtl) {
            Duration t = positive("memberTtl", memberTtl);
            if (t.compareTo(heartbeat) <= 0) {
                throw new IllegalArgumentException("memberTtl must be longer than heartbeat (" + heartbeat + "), was " + memberTtl);
            }
            this.memberTtl = t;
            return this;
        }

        /**
         * The least number of distinct instances whose breaker must trip within its open wait
         * before the fleet opens. Default 2: one instance alone (a local network problem) never
         * opens the fleet. 1 lets any single trip open the fleet.
         */
        public Builder quorumInstances(int quorumInstances) {
            if (quorumInstances < 1 || quorumInstances > 10_000) {
                throw new IllegalArgumentException("quorumInstances must be between 1 and 10000, was " + quorumInstances);
            }
            this.quorumInstances = quorumInstances;
            return this;
        }

        /**
         * A fraction of the live members whose votes are needed too: the quorum is
         * {@code max(quorumInstances, ceil(quorumFraction x liveMembers))}. Default 0 (off).
         */
        public Builder quorumFraction(double quorumFraction) {
            if (!(quorumFraction >= 0.0 && quorumFraction <= 1.0)) {
                throw new IllegalArgumentException("quorumFraction must be between 0 and 1, was " + quorumFraction);
            }
            this.quorumFraction = quorumFraction;
            return this;
        }

        /**
         * How long a probe lease lasts: the time the winner has to run its trials and publish their
         * verdict before another member may take over. Default 5 s.
         */
        public Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = positive("leaseDuration", leaseDuration);
            return this;
        }

        /** Messages longer than this (UTF-8 bytes) are dropped and counted. Default 4096; 64 to 65536. */
        public Builder maxMessageBytes(int maxMessageBytes) {
            if (maxMessageBytes < 64 || maxMessageBytes > 65_536) {
                throw new IllegalArgumentException("maxMessageBytes must be between 64 and 65536, was " + maxMessageBytes);
            }
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        /** How long a verdict key outlives its deadline, for members that reconcile later. Default 10 min. */
        public Builder verdictRetention(Duration verdictRetention) {
            this.verdictRetention = positive("verdictRetention", verdictRetention);
            return this;
        }

        /**
         * Reconnect backoff of the fleet's own client (exponential, from {@code min} doubling up to
         * {@code max}). Default 100 ms to 10 s. Ignored with {@link RedisFleet#builder(RedisClient, RedisURI)}.
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            Duration lo = positive("reconnectBackoff.min", min);
            Duration hi = positive("reconnectBackoff.max", max);
            if (hi.compareTo(lo) < 0) {
                throw new IllegalArgumentException("reconnectBackoff.max must be at least min (" + min + "), was " + max);
            }
            this.reconnectMin = lo;
            this.reconnectMax = hi;
            return this;
        }

        /**
         * The wall clock used to estimate the store's clock between heartbeats (the offset is
         * measured at each heartbeat, so only this clock's rate matters). Default UTC system clock.
         */
        public Builder wallClock(Clock wallClock) {
            this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
            return this;
        }

        /** Builds the fleet and starts connecting in the background; never blocks. */
        public RedisFleet build() {
            Settings s = new Settings(this);
            RedisClient c = client;
            ClientResources resources = null;
            if (c == null) {
                resources = ClientResources.builder()
                        .reconnectDelay(Delay.exponential(reconnectMin, reconnectMax, 2, TimeUnit.MILLISECONDS))
                        .build();
                c = RedisClient.create(resources, uri);
                Duration commandTimeout = s.heartbeat.dividedBy(2);
                c.setOptions(ClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                        .socketOptions(SocketOptions.builder().connectTimeout(s.heartbeat.compareTo(Duration.ofSeconds(1)) > 0 ? s.heartbeat : Duration.ofSeconds(1)).build())
                        .build());
            }
            return new RedisFleet(new FleetAgent(s, c, uri, client == null, resources));
        }
    }
}
