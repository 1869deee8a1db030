package dev.recloser.webclient;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.Objects;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Settings for a Reactor Netty {@link HttpClient} and its connection pool, with defaults chosen for
 * a client guarded by {@link ResilienceFilter}: every wait is bounded, so a slow or dead server shows
 * up as a failure the breaker can count instead of as requests piling up.
 *
 * <pre>{@code
 * ReactorNettyClients settings = ReactorNettyClients.defaults().maxConnections(50);
 * ConnectionProvider pool = settings.connectionProvider("inventory");   // dispose it at shutdown
 * WebClient client = WebClient.builder()
 *         .clientConnector(new ReactorClientHttpConnector(settings.httpClient(pool)))
 *         .filter(ResilienceFilter.builder().attemptTimeout(Duration.ofSeconds(2)).build())
 *         .build();
 * }</pre>
 *
 * <p>The defaults, and why (Reactor Netty's own default in brackets):
 * <ul>
 *   <li>{@code maxConnections} 100 per remote address [2 x max(cores, 8)]: by Little's law 100
 *       connections carry 1,000 requests/s to one host at 100 ms each. Needing more usually means
 *       the host got slow, which the breaker and timeouts should handle rather than more sockets.</li>
 *   <li>{@code pendingAcquireMaxCount} 500 per remote address [2 x maxConnections]: a bounded
 *       queue for a connection, so a saturated pool rejects at once
 *       ({@code PoolAcquirePendingLimitException}) instead of growing memory.</li>
 *   <li>{@code pendingAcquireTimeout} 5 s [45 s]: a request waits at most this long for a
 *       connection; 45 s is longer than almost any caller waits.</li>
 *   <li>{@code maxIdleTime} 20 s [none]: below the idle timeouts of common load balancers and
 *       servers (60 s for AWS ALB and GCP, 75 s for nginx), so the client never sends a request on
 *       a connection the server is closing at that moment, which fails as "connection prematurely
 *       closed" and would count as a breaker failure. Lower it for servers with a shorter keep-alive
 *       (Node.js: 5 s).</li>
 *   <li>{@code maxLifeTime} 5 min [none]: connections are renewed, so DNS changes and new
 *       instances behind a load balancer are picked up.</li>
 *   <li>{@code evictInBackground} 10 s [off]: expired connections are closed even while the pool
 *       is not used, instead of lingering until the next acquire.</li>
 *   <li>{@code connectTimeout} 2 s [30 s, Netty's]: a TCP connect takes one round trip; 2 s covers
 *       a lost SYN (retransmitted after Linux's 1 s initial retransmission timeout) plus an
 *       intercontinental round trip. A dead host then costs 2 s, not 30.</li>
 *   <li>{@code responseTimeout} 10 s [none]: the longest silence while waiting for and reading a
 *       response (Reactor Netty re-arms it at each read). It bounds the body download, which the
 *       filter's {@code attemptTimeout} does not cover (the filter returns the response when its
 *       headers arrive).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe: each setter returns a copy; an invalid value throws
 * {@link IllegalArgumentException} naming the option and the value, a null one
 * {@link NullPointerException} naming the option. For Micrometer metrics of the pool, call
 * {@code provider.mutate().metrics(true).build()} (Micrometer must be on the class path).
 */
public final class ReactorNettyClients {

    private static final ReactorNettyClients DEFAULTS = new ReactorNettyClients(
            100, 500, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofMinutes(5), Duration.ofSeconds(10),
            Duration.ofSeconds(2), Duration.ofSeconds(10));

    private final int maxConnections;
    private final int pendingAcquireMaxCount;
    private final Duration pendingAcquireTimeout;
    private final Duration maxIdleTime;
    private final Duration maxLifeTime;
    private final Duration evictInBackground;
    private final Duration connectTimeout;
    private final Duration responseTimeout;

    private ReactorNettyClients(int maxConnections, int pendingAcquireMaxCount, Duration pendingAcquireTimeout,
                                Duration maxIdleTime, Duration maxLifeTime, Duration evictInBackground,
                                Duration connectTimeout, Duration responseTimeout) {
        this.maxConnections = maxConnections;
        this.pendingAcquireMaxCount = pendingAcquireMaxCount;
        this.pendingAcquireTimeout = pendingAcquireTimeout;
        this.maxIdleTime = maxIdleTime;
        this.maxLifeTime = maxLifeTime;
        this.evictInBackground = evictInBackground;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
    }

    /** The defaults listed in the class description; a shared constant. */
    public static ReactorNettyClients defaults() {
        return DEFAULTS;
    }

    /**
     * A new connection pool with these settings. The caller owns it: dispose it
     * ({@code disposeLater()}) when the client is no longer used.
     *
     * @param name the pool's name, shown in Reactor Netty's logs and metrics
     */
    public ConnectionProvider connectionProvider(String name) {
        Objects.requireNonNull(name, "name");
        return ConnectionProvider.builder(name)
                .maxConnections(maxConnections)
                .pendingAcquireMaxCount(pendingAcquireMaxCount)
                .pendingAcquireTimeout(pendingAcquireTimeout)
                .maxIdleTime(maxIdleTime)
                .maxLifeTime(maxLifeTime)
                .evictInBackground(evictInBackground)
                .build();
    }

    /**
     * An {@link HttpClient} on {@code pool} with the connect and response timeouts, ready for
     * {@code new ReactorClientHttpConnector(httpClient)}. Further {@code HttpClient} settings
     * (TLS, proxy, compression) can be chained on the result.
     */
    public HttpClient httpClient(ConnectionProvider pool) {
        Objects.requireNonNull(pool, "pool");
        return HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .responseTimeout(responseTimeout);
    }

    /** Connections per remote address, >= 1. Default 100. */
    public ReactorNettyClients maxConnections(int maxConnections) {
        return new ReactorNettyClients(Checks.atLeast("maxConnections", maxConnections, 1), pendingAcquireMaxCount,
                pendingAcquireTimeout, maxIdleTime, maxLifeTime, evictInBackground, connectTimeout, responseTimeout);
    }

    /** Requests that may wait for a connection, per remote address, >= 1. Default 500. */
    public ReactorNettyClients pendingAcquireMaxCount(int pendingAcquireMaxCount) {
        return new ReactorNettyClients(maxConnections,
                Checks.atLeast("pendingAcquireMaxCount", pendingAcquireMaxCount, 1),
                pendingAcquireTimeout, maxIdleTime, maxLifeTime, evictInBackground, connectTimeout, responseTimeout);
    }

    /** The longest wait for a connection, positive. Default 5 s. */
    public ReactorNettyClients pendingAcquireTimeout(Duration timeout) {
        return new ReactorNettyClients(maxConnections, pendingAcquireMaxCount,
                Checks.positive("pendingAcquireTimeout", timeout), maxIdleTime, maxLifeTime, evictInBackground,
                connectTimeout, responseTimeout);
    }

    /** How long a connection may stay idle in the pool, positive. Default 20 s. */
    public ReactorNettyClients maxIdleTime(Duration maxIdleTime) {
        return new ReactorNettyClients(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout,
                Checks.positive("maxIdleTime", maxIdleTime), maxLifeTime, evictInBackground, connectTimeout,
                responseTimeout);
    }

    /** How long a connection may live, positive. Default 5 min. */
    public ReactorNettyClients maxLifeTime(Duration maxLifeTime) {
        return new ReactorNettyClients(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxIdleTime,
                Checks.positive("maxLifeTime", maxLifeTime), evictInBackground, connectTimeout, responseTimeout);
    }

    /** The period of the background sweep that closes expired connections, positive. Default 10 s. */
    public ReactorNettyClients evictInBackground(Duration period) {
        return new ReactorNettyClients(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxIdleTime,
                maxLifeTime, Checks.positive("evictInBackground", period), connectTimeout, responseTimeout);
    }

    /**
     * The TCP connect timeout ({@link ChannelOption#CONNECT_TIMEOUT_MILLIS}), positive, whole
     * milliseconds, at most {@code Integer.MAX_VALUE} ms. Default 2 s.
     */
    public ReactorNettyClients connectTimeout(Duration timeout) {
        Checks.positive("connectTimeout", timeout);
        if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "connectTimeout must be between 1 ms and " + Integer.MAX_VALUE + " ms, was " + timeout);
        }
        return new ReactorNettyClients(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxIdleTime,
                maxLifeTime, evictInBackground, timeout, responseTimeout);
    }

    /** The longest silence while waiting for or reading a response, positive. Default 10 s. */
    public ReactorNettyClients responseTimeout(Duration timeout) {
        return new ReactorNettyClients(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxIdleTime,
                maxLifeTime, evictInBackground, connectTimeout, Checks.positive("responseTimeout", timeout));
    }

    /** Connections per remote address. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Requests that may wait for a connection, per remote address. */
    public int pendingAcquireMaxCount() {
        return pendingAcquireMaxCount;
    }

    /** The longest wait for a connection. */
    public Duration pendingAcquireTimeout() {
        return pendingAcquireTimeout;
    }

    /** How long a connection may stay idle. */
    public Duration maxIdleTime() {
        return maxIdleTime;
    }

    /** How long a connection may live. */
    public Duration maxLifeTime() {
        return maxLifeTime;
    }

    /** The period of the background eviction sweep. */
    public Duration evictInBackground() {
        return evictInBackground;
    }

    /** The TCP connect timeout. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The longest silence while waiting for or reading a response. */
    public Duration responseTimeout() {
        return responseTimeout;
    }

    @Override
    public String toString() {
        return "ReactorNettyClients{maxConnections=" + maxConnections
                + ", pendingAcquireMaxCount=" + pendingAcquireMaxCount
                + ", pendingAcquireTimeout=" + pendingAcquireTimeout
                + ", maxIdleTime=" + maxIdleTime
                + ", maxLifeTime=" + maxLifeTime
                + ", evictInBackground=" + evictInBackground
                + ", connectTimeout=" + connectTimeout
                + ", responseTimeout=" + responseTimeout + '}';
    }
}
