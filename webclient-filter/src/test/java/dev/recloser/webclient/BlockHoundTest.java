package dev.recloser.webclient;

import static dev.recloser.webclient.TestClients.IO_TIMEOUT;
import static dev.recloser.webclient.TestClients.client;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.blockhound.BlockingOperationError;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * BlockHound is installed for every test of this module (by {@link BlockHoundExtension}): these
 * tests prove it, on a Reactor scheduler thread and on a Reactor Netty event loop, so that the
 * other tests' silence means something. {@code Thread.yield()} serves as the blocking call: it is on
 * BlockHound's list and harmless if BlockHound were absent.
 */
class BlockHoundTest {

    private TestServer server;
    private ConnectionProvider pool;

    @BeforeEach
    void setUp() {
        server = TestServer.start();
        pool = TestClients.pool("blockhound-test");
    }

    @AfterEach
    void tearDown() {
        server.close();
        pool.disposeLater().block(IO_TIMEOUT);
    }

    private static Mono<String> blockingCall() {
        return Mono.fromCallable(() -> {
            Thread.yield();
            return Thread.currentThread().getName();
        });
    }

    private static boolean isBlockingError(Throwable e) {
        Throwable t = Exceptions.unwrap(e);
        while (t != null) {
            if (t instanceof BlockingOperationError) {
                return true;
            }
            t = t.getCause();
        }
        return false;
    }

    @Test
    void aBlockingCallOnAParallelSchedulerThreadFails() {
        StepVerifier.create(blockingCall().subscribeOn(Schedulers.parallel()))
                .expectErrorMatches(BlockHoundTest::isBlockingError)
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aBlockingCallOnAnHttpEventLoopFails() {
        WebClient client = client(pool, ResilienceFilter.builder().build());
        Mono<String> onEventLoop = client.get().uri(server.url("/"))
                .exchangeToMono(r -> r.releaseBody().then(blockingCall()));
        StepVerifier.create(onEventLoop)
                .expectErrorMatches(BlockHoundTest::isBlockingError)
                .verify(IO_TIMEOUT);
    }

    @Test
    void theSameCallIsFineOnABlockingFriendlyThread() {
        StepVerifier.create(blockingCall().subscribeOn(Schedulers.boundedElastic()))
                .assertNext(name -> assertThat(name).startsWith("boundedElastic"))
                .verifyComplete();
    }
}
