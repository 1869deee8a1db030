package dev.recloser.webclient;

import java.util.Objects;
import java.util.function.Function;
import org.springframework.web.reactive.function.client.ClientRequest;

/**
 * Maps a request to the key of the circuit breaker that guards it: requests with equal keys share
 * one breaker. The filter names that breaker {@code "http:" + key} in its registry.
 *
 * <p>Implementations are called once per exchange, on the thread that subscribes to it (often an
 * event loop): they must be thread-safe, quick, must not block, and must return a non-null key.
 * Every distinct key costs one breaker, so a key must not contain request-specific parts such as
 * a path with ids or a query string; the filter bounds the number of breakers (see
 * {@link ResilienceFilter.Builder#maxBreakers(int)}), but a key per request defeats the breaker.
 */
@FunctionalInterface
public interface KeyStrategy {

    /**
     * The breaker key of {@code request}.
     *
     * @return a non-null key; requests with equal keys share a breaker
     */
    String key(ClientRequest request);

    /**
     * One breaker per destination: {@code host:port}, the host lower-cased and the port filled in
     * from the scheme when the URL has none ({@code http} and {@code ws}: 80, {@code https} and
     * {@code wss}: 443); so {@code http://Example.com/a} and {@code http://example.com:80/b} share
     * {@code example.com:80}. A URL with an unknown scheme and no port keys on the host alone. The
     * default.
     */
    static KeyStrategy byHostAndPort() {
        return HostKeys.HOST_PORT;
    }

    /**
     * One breaker per destination and method: {@code host:port METHOD}, e.g.
     * {@code example.com:443 POST}; for services where writes fail while reads still work.
     */
    static KeyStrategy byHostPortAndMethod() {
        return HostKeys.HOST_PORT_METHOD;
    }

    /**
     * A key computed by {@code function}, e.g. from a header naming a tenant or from the first path
     * segment. The function has the same obligations as {@link #key(ClientRequest)}.
     *
     * @throws NullPointerException if {@code function} is null
     */
    static KeyStrategy of(Function<ClientRequest, String> function) {
        Objects.requireNonNull(function, "function");
        return function::apply;
    }
}
