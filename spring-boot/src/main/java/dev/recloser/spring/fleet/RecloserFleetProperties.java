package dev.recloser.spring.fleet;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code recloser.fleet.*}: fleet mode over Redis ({@code recloser-redis}), on when
 * {@code recloser.fleet.redis.uri} is set. Unset options keep {@code RedisFleet.Builder}'s
 * defaults; each is checked by the builder at start-up, and an invalid one fails start-up with the
 * property's name.
 */
@ConfigurationProperties("recloser.fleet")
public class RecloserFleetProperties {

    /** The store. */
    private final Redis redis = new Redis();
    /** Namespace shared by the fleet's members; fleets of different namespaces share nothing. Default recloser. */
    private String namespace;
    /** This member's id, unique in the namespace. Default: a random UUID. */
    private String instanceId;
    /** How often this member refreshes its heartbeat key (at least 10 ms). Default 1s. */
    private Duration heartbeat;
    /** How long a heartbeat keeps a member live; longer than the heartbeat. Default three heartbeats. */
    private Duration memberTtl;
    /** Distinct instances whose breakers must trip before the fleet opens, 1 to 10000. Default 2. */
    private Integer quorumInstances;
    /** Fraction of the live members whose votes are needed too, 0 to 1. Default 0 (off). */
    private Double quorumFraction;
    /** How long a probe lease lasts before another member may take over. Default 5s. */
    private Duration leaseDuration;

    /** Creates the properties with nothing set. */
    public RecloserFleetProperties() {
    }

    /** The store. */
    public Redis getRedis() {
        return redis;
    }

    /** @return the namespace, or {@code null} for the default */
    public String getNamespace() {
        return namespace;
    }

    /** @param namespace the namespace */
    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    /** @return this member's id, or {@code null} for a random one */
    public String getInstanceId() {
        return instanceId;
    }

    /** @param instanceId this member's id */
    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    /** @return the heartbeat, or {@code null} for the default */
    public Duration getHeartbeat() {
        return heartbeat;
    }

    /** @param heartbeat the heartbeat */
    public void setHeartbeat(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    /** @return the member TTL, or {@code null} for the default */
    public Duration getMemberTtl() {
        return memberTtl;
    }

    /** @param memberTtl the member TTL */
    public void setMemberTtl(Duration memberTtl) {
        this.memberTtl = memberTtl;
    }

    /** @return the quorum in instances, or {@code null} for the default */
    public Integer getQuorumInstances() {
        return quorumInstances;
    }

    /** @param quorumInstances the quorum in instances */
    public void setQuorumInstances(Integer quorumInstances) {
        this.quorumInstances = quorumInstances;
    }

    /** @return the quorum fraction, or {@code null} for the default */
    public Double getQuorumFraction() {
        return quorumFraction;
    }

    /** @param quorumFraction the quorum fraction */
    public void setQuorumFraction(Double quorumFraction) {
        this.quorumFraction = quorumFraction;
    }

    /** @return the lease duration, or {@code null} for the default */
    public Duration getLeaseDuration() {
        return leaseDuration;
    }

    /** @param leaseDuration the lease duration */
    public void setLeaseDuration(Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    /** {@code recloser.fleet.redis.*}. */
    public static class Redis {

        /**
         * Lettuce RedisURI of the store (redis://, rediss:// for TLS, credentials, redis-sentinel://);
         * fleet mode is on when set.
         */
        private String uri;

        /** Creates the properties with nothing set. */
        public Redis() {
        }

        /** @return the URI, or {@code null} when fleet mode is off */
        public String getUri() {
            return uri;
        }

        /** @param uri the URI */
        public void setUri(String uri) {
            this.uri = uri;
        }
    }
}
