package dev.recloser.webclient;

import static dev.recloser.webclient.TestClients.IO_TIMEOUT;
import static dev.recloser.webclient.TestClients.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

class TransientErrorAndKeyFailureTest {

    private static WebClientRequestException wrapped(Throwable cause) {
        return new WebClientRequestException(cause, HttpMethod.GET, URI.create("http://x/"), new HttpHeaders());
    }

    @Test
    void transientErrorsAreIoErrorsTimeoutsAndNettyChannelErrorsAnywhereInTheCauseChain() {
        assertThat(ResilienceFilter.isTransientError(wrapped(new ConnectException("refused")))).isTrue();
        assertThat(ResilienceFilter.isTransientError(wrapped(ReadTimeoutException.INSTANCE))).isTrue();
        assertThat(ResilienceFilter.isTransientError(new TimeoutException())).isTrue();
        assertThat(ResilienceFilter.isTransientError(new IOException("reset"))).isTrue();
        assertThat(ResilienceFilter.isTransientError(wrapped(new IllegalStateException("encoding")))).isFalse();
        assertThat(ResilienceFilter.isTransientError(new IllegalArgumentException())).isFalse();
    }

    @Test
    void aCauseChainThatLoopsEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(ResilienceFilter.isTransientError(a)).isFalse();
    }

    @Test
    void aKeyStrategyThatFailsOrReturnsNullFailsTheCallWithoutAnExchange() {
        try (TestServer server = TestServer.start()) {
            ConnectionProvider pool = TestClients.pool("key-failure-test");
            try {
                WebClient throwing = TestClients.client(pool, ResilienceFilter.builder()
                        .key(r -> {
                            throw new IllegalStateException("no tenant");
                        })
                        .build());
                StepVerifier.create(status(throwing, server.url("/")))
                        .expectErrorMessage("no tenant")
                        .verify(IO_TIMEOUT);
                WebClient nulls = TestClients.client(pool, ResilienceFilter.builder().key(r -> null).build());
                StepVerifier.create(status(nulls, server.url("/")))
                        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(NullPointerException.class)
                                .hasMessageContaining("returned null for GET " + server.url("/")))
                        .verify(IO_TIMEOUT);
                assertThat(server.requests()).isZero();
            } finally {
                pool.disposeLater().block(IO_TIMEOUT);
            }
        }
    }
}
