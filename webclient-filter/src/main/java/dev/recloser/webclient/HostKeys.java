package dev.recloser.webclient;

import java.net.URI;
import java.util.Locale;
import org.springframework.web.reactive.function.client.ClientRequest;

/** The built-in {@link KeyStrategy key strategies}: singletons with a readable {@code toString()}. */
enum HostKeys implements KeyStrategy {

    /** {@link KeyStrategy#byHostAndPort()}. */
    HOST_PORT {
        @Override
        public String key(ClientRequest request) {
            return hostAndPort(request.url());
        }

        @Override
        public String toString() {
            return "KeyStrategy.byHostAndPort()";
        }
    },

    /** {@link KeyStrategy#byHostPortAndMethod()}. */
    HOST_PORT_METHOD {
        @Override
        public String key(ClientRequest request) {
            return hostAndPort(request.url()) + ' ' + request.method().name();
        }

        @Override
        public String toString() {
            return "KeyStrategy.byHostPortAndMethod()";
        }
    };

    /** {@code host:port} of {@code url}, as {@link KeyStrategy#byHostAndPort()} describes. */
    static String hostAndPort(URI url) {
        String host = url.getHost();
        if (host == null) {
            // No parsable host (the connector will reject the URL): keep the key stable anyway.
            String authority = url.getRawAuthority();
            host = authority != null ? authority : String.valueOf(url.getRawSchemeSpecificPart());
        }
        host = host.toLowerCase(Locale.ROOT);
        int port = url.getPort();
        if (port < 0) {
            port = defaultPort(url.getScheme());
        }
        return port < 0 ? host : host + ':' + port;
    }

    private static int defaultPort(String scheme) {
        if (scheme == null) {
            return -1;
        }
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }
}
