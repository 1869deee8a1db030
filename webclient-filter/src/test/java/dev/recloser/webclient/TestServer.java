package dev.recloser.webclient;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A real Reactor Netty HTTP server on 127.0.0.1 for the filter's tests, whose answer to each
 * request a test switches at will: a status with headers and a body, no answer at all (hang), or a
 * reset connection. It counts requests, lets a test wait for the n-th one, and can be stopped
 * (connection refused) and restarted on the same port. Thread-safe.
 */
final class TestServer implements AutoCloseable {

    /** RFC 1123 date format, as HTTP dates are written. */
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** What a request carried, for scripts that answer by path or by position. */
    record Request(int index, String method, String path) {
    }

    /** What the server does with a request. */
    record Behaviour(Kind kind, int status, Map<String, String> headers, String body) {

        enum Kind { RESPOND, HANG, RESET }

        Behaviour {
            headers = Map.copyOf(headers);
        }

        Behaviour header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Behaviour(kind, status, h, body);
        }

        Behaviour withStatus(int code) {
            return new Behaviour(kind, code, headers, body);
        }

        Behaviour body(String text) {
            return new Behaviour(kind, status, headers, text);
        }
    }

    static Behaviour ok() {
        return status(200).body("ok");
    }

    static Behaviour status(int status) {
        return new Behaviour(Behaviour.Kind.RESPOND, status, Map.of(), "status " + status);
    }

    /** A 503 with {@code Retry-After: <seconds>}. */
    static Behaviour unavailable(int retryAfterSeconds) {
        return status(503).header("Retry-After", Integer.toString(retryAfterSeconds));
    }

    /** A 503 whose {@code Retry-After} is the HTTP-date {@code delay} after its {@code Date} header. */
    static Behaviour unavailableUntil(Instant serverNow, Duration delay) {
        return status(503)
                .header("Date", HTTP_DATE.format(serverNow))
                .header("Retry-After", HTTP_DATE.format(serverNow.plus(delay)));
    }

    /** Reads the request and never answers (until the client goes away). */
    static Behaviour hang() {
        return new Behaviour(Behaviour.Kind.HANG, 0, Map.of(), "");
    }

    /** Closes the connection with a TCP reset instead of answering. */
    static Behaviour reset() {
        return new Behaviour(Behaviour.Kind.RESET, 0, Map.of(), "");
    }

    private final AtomicInteger requests = new AtomicInteger();
    private final Semaphore arrivals = new Semaphore(0);
    private final ChannelGroup connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
    private volatile Function<Request, Behaviour> script = r -> ok();
    private volatile DisposableServer server;
    private volatile int port;
    /** Arrivals already taken from {@link #arrivals} by awaitRequests (test thread only). */
    private int awaited;

    private TestServer() {
    }

    /** A started server on a random free port of 127.0.0.1, answering 200 "ok" until told otherwise. */
    static TestServer start() {
        TestServer s = new TestServer();
        s.bind(0);
        return s;
    }

    private void bind(int onPort) {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(onPort)
                .option(ChannelOption.SO_REUSEADDR, true)
                .doOnConnection(c -> connections.add(c.channel()))
                .handle(this::handle)
                .bindNow(Duration.ofSeconds(10));
        port = server.port();
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        int index = requests.incrementAndGet();
        arrivals.release();
        Behaviour b = script.apply(new Request(index, request.method().name(), request.path()));
        switch (b.kind()) {
            case HANG:
                return request.receive().then(Mono.never());
            case RESET:
                return Mono.fromRunnable(() -> response.withConnection(c -> {
                    Channel ch = c.channel();
                    ch.config().setOption(ChannelOption.SO_LINGER, 0); // close with RST, not FIN
                    ch.close();
                })).then(Mono.never());
            default:
                b.headers().forEach(response::header);
                return response.status(b.status()).sendString(Mono.just(b.body())).then();
        }
    }

    /** Every request from now on gets {@code behaviour}. */
    TestServer behave(Behaviour behaviour) {
        Objects.requireNonNull(behaviour, "behaviour");
        this.script = r -> behaviour;
        return this;
    }

    /** Each request from now on gets what {@code script} returns for it. */
    TestServer script(Function<Request, Behaviour> script) {
        this.script = Objects.requireNonNull(script, "script");
        return this;
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The breaker key of this server under the default key strategy. */
    String hostKey() {
        return "127.0.0.1:" + port;
    }

    /** Requests received since start (restarts included). */
    int requests() {
        return requests.get();
    }

    /**
     * Waits, on the calling test thread, until at least {@code total} requests have arrived since
     * start; fails the test after {@code timeout}. For one test thread at a time.
     */
    void awaitRequests(int total, Duration timeout) {
        int missing = total - awaited;
        if (missing <= 0) {
            return;
        }
        try {
            if (!arrivals.tryAcquire(missing, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("expected " + total + " request(s) within " + timeout
                        + ", received " + requests());
            }
            awaited = total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Closes the listening socket and every open connection: new connections are refused. */
    void stop() {
        DisposableServer s = server;
        if (s != null) {
            server = null;
            s.disposeNow(Duration.ofSeconds(5));
            connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Listens again on the same port. */
    void restart() {
        if (server == null) {
            bind(port);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
