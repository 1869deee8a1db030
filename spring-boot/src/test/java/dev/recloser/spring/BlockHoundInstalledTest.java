package dev.recloser.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * BlockHound is installed for every test of this module (by {@link BlockHoundExtension}); this
 * proves it, so that the silence of the end-to-end test means something. {@code Thread.yield()} is
 * on BlockHound's list and harmless without it.
 */
class BlockHoundInstalledTest {

    @Test
    void aBlockingCallOnAReactorThreadFails() {
        Throwable error = Mono.fromCallable(() -> {
                    Thread.yield();
                    return "not reported";
                })
                .subscribeOn(Schedulers.parallel())
                .map(Object::toString)
                .onErrorResume(e -> Mono.just(e.getClass().getName()))
                .map(name -> (Throwable) new IllegalStateException(name))
                .block(Duration.ofSeconds(10));
        assertThat(error).hasMessage(BlockingOperationError.class.getName());
    }
}
