package dev.recloser.webclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

class ReactorNettyClientsTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        ReactorNettyClients d = ReactorNettyClients.defaults();
        assertThat(d.maxConnections()).isEqualTo(100);
        assertThat(d.pendingAcquireMaxCount()).isEqualTo(500);
        assertThat(d.pendingAcquireTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.maxIdleTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(d.maxLifeTime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.evictInBackground()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.responseTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void settersReturnCopies() {
        ReactorNettyClients d = ReactorNettyClients.defaults();
        ReactorNettyClients c = d.maxConnections(7).connectTimeout(Duration.ofMillis(500));
        assertThat(c.maxConnections()).isEqualTo(7);
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(d.maxConnections()).isEqualTo(100);
        assertThat(c.toString()).contains("maxConnections=7", "connectTimeout=PT0.5S");
    }

    @Test
    void theClientCarriesTheTimeoutsAndThePoolItsBound() {
        ReactorNettyClients settings = ReactorNettyClients.defaults().maxConnections(12)
                .connectTimeout(Duration.ofMillis(1500)).responseTimeout(Duration.ofSeconds(4));
        ConnectionProvider pool = settings.connectionProvider("settings-test");
        try {
            HttpClient client = settings.httpClient(pool);
            assertThat(client.configuration().options().get(ChannelOption.CONNECT_TIMEOUT_MILLIS)).isEqualTo(1500);
            assertThat(client.configuration().responseTimeout()).isEqualTo(Duration.ofSeconds(4));
            assertThat(client.configuration().connectionProvider()).isSameAs(pool);
            assertThat(pool.maxConnections()).isEqualTo(12);
            assertThat(pool.name()).isEqualTo("settings-test");
        } finally {
            pool.disposeLater().block(Duration.ofSeconds(10));
        }
    }
}
