package dev.recloser.spring;

import java.util.concurrent.atomic.AtomicInteger;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A real Reactor Netty HTTP server on 127.0.0.1 and a random port, answering every request with the
 * status a test sets (200 with body "ok", or that status with body "status N"). Counts requests.
 */
final class TestServer implements AutoCloseable {

    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger requests = new AtomicInteger();
    private final DisposableServer server;

    private TestServer() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> {
                    requests.incrementAndGet();
                    int s = status.get();
                    return res.status(s).sendString(reactor.core.publisher.Mono.just(s == 200 ? "ok" : "status " + s));
                })
                .bindNow();
    }

    static TestServer start() {
        return new TestServer();
    }

    void answer(int code) {
        status.set(code);
    }

    int requests() {
        return requests.get();
    }

    int port() {
        return server.port();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
