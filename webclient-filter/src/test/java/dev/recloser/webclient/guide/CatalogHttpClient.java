package dev.recloser.webclient.guide;

import dev.recloser.webclient.ReactorNettyClients;
import java.time.Duration;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

public class CatalogHttpClient {

    public final ConnectionProvider pool;
    public final HttpClient http;

    public CatalogHttpClient() {
        ReactorNettyClients settings = ReactorNettyClients.defaults()
                .maxConnections(50)
                .maxIdleTime(Duration.ofSeconds(4));                 // a Node.js backend closes idle sockets at 5 s
        pool = settings.connectionProvider("catalog");
        http = settings.httpClient(pool).compress(true);             // further HttpClient settings chain on
    }
}
