package dev.recloser.webclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientRequest;

class KeyStrategyTest {

    private static ClientRequest request(HttpMethod method, String url) {
        return ClientRequest.create(method, URI.create(url)).build();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "http://example.com/a,            example.com:80",
            "http://Example.COM:80/b?q=1,     example.com:80",
            "https://example.com/,            example.com:443",
            "HTTPS://example.com:8443/x,      example.com:8443",
            "ws://example.com/socket,         example.com:80",
            "wss://example.com/socket,        example.com:443",
            "http://127.0.0.1:8080/,          127.0.0.1:8080",
            "http://[::1]:9000/,              [::1]:9000",
            "ftp://files.example.com/x,       files.example.com",
    })
    void hostAndPortFillsInTheSchemesDefaultPort(String url, String key) {
        assertThat(KeyStrategy.byHostAndPort().key(request(HttpMethod.GET, url))).isEqualTo(key);
    }

    @Test
    void hostPortAndMethodSeparatesMethods() {
        KeyStrategy keys = KeyStrategy.byHostPortAndMethod();
        assertThat(keys.key(request(HttpMethod.GET, "https://api.example.com/orders/1")))
                .isEqualTo("api.example.com:443 GET");
        assertThat(keys.key(request(HttpMethod.POST, "https://api.example.com/orders")))
                .isEqualTo("api.example.com:443 POST");
    }

    @Test
    void aFunctionComputesAnyKey() {
        KeyStrategy keys = KeyStrategy.of(r -> r.headers().getFirst("X-Tenant"));
        ClientRequest r = ClientRequest.create(HttpMethod.GET, URI.create("http://x/")).header("X-Tenant", "acme").build();
        assertThat(keys.key(r)).isEqualTo("acme");
        assertThatNullPointerException().isThrownBy(() -> KeyStrategy.of(null)).withMessage("function");
    }

    @Test
    void theBuiltInStrategiesReadWell() {
        assertThat(KeyStrategy.byHostAndPort()).hasToString("KeyStrategy.byHostAndPort()");
        assertThat(KeyStrategy.byHostPortAndMethod()).hasToString("KeyStrategy.byHostPortAndMethod()");
    }
}
