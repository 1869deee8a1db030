package dev.recloser.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recloser.core.Bulkhead;
import dev.recloser.core.BulkheadFullException;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.SlidingWindow;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.Scannable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.util.context.Context;

class BulkheadAndTimeoutOperatorTest {

    @Test
    void bulkheadRejectsWithoutSubscribingWhenFullAndReleasesOnTerminalOrCancel() {
        Bulkhead bulkhead = Bulkhead.of("db", 1);
        AtomicInteger subscriptions = new AtomicInteger();
        TestPublisher<String> first = TestPublisher.create();
        java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        // The first call holds the only permit until it completes.
        first.mono().transform(BulkheadOperator.of(bulkhead)).subscribe(received::add);
        assertThat(bulkhead.availablePermits()).isZero();
        Mono<String> second = Mono.fromCallable(() -> "x").doOnSubscribe(s -> subscriptions.incrementAndGet())
                .transform(BulkheadOperator.of(bulkhead));
        StepVerifier.create(second)
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(BulkheadFullException.class);
                    assertThat(e.getStackTrace()).isEmpty();
                })
                .verify(Duration.ofSeconds(5));
        assertThat(subscriptions).hasValue(0);
        first.emit("done");
        assertThat(received).containsExactly("done");
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
        StepVerifier.create(second).expectNext("x").verifyComplete();
        StepVerifier.create(Flux.never().transform(BulkheadOperator.of(bulkhead))).thenCancel().verify();
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    @Test
    void bulkheadRejectionNeverCountsAsABreakerFailure() {
        Bulkhead bulkhead = Bulkhead.of("b", 1);
        CircuitBreaker breaker = CircuitBreaker.of("cb", CircuitBreakerConfig.builder()
                .slidingWindow(SlidingWindow.countBased(2)).minimumNumberOfCalls(1).build());
        bulkhead.tryAcquire(); // somebody else holds the only permit
        StepVerifier.create(Mono.just(1).transform(Resilience.pipeline().bulkhead(bulkhead).circuitBreaker(breaker).build()))
                .verifyError(BulkheadFullException.class);
        assertThat(breaker.metrics().bufferedCalls()).isZero();
    }

    @Test
    void totalTimeoutOnVirtualTimeCancelsUpstreamAndSignalsTimeoutException() {
        AtomicInteger cancelled = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> Mono.never().doOnCancel(cancelled::incrementAndGet)
                        .transform(TimeoutOperator.of(Duration.ofSeconds(2))))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1_999))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(TimeoutException.class).isInstanceOf(AttemptTimeoutException.class);
                    assertThat(((AttemptTimeoutException) e).timeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(e.getMessage()).isEqualTo("Did not observe a terminal signal within 2000 ms");
                })
                .verify(Duration.ofSeconds(5));
        assertThat(cancelled).hasValue(1);
    }

    @Test
    void totalTimeoutCoversTheWholeFluxWhilePerElementResetsOnEachElement() {
        StepVerifier.withVirtualTime(() -> Flux.interval(Duration.ofSeconds(1)).take(5)
                        .transform(TimeoutOperator.of(Duration.ofMillis(3_500))))
                .thenAwait(Duration.ofSeconds(3))
                .expectNext(0L, 1L, 2L)
                .thenAwait(Duration.ofMillis(500))
                .expectError(AttemptTimeoutException.class)
                .verify(Duration.ofSeconds(5));
        StepVerifier.withVirtualTime(() -> Flux.interval(Duration.ofSeconds(1)).take(5)
                        .transform(TimeoutOperator.perElement(Duration.ofMillis(1_500))))
                .thenAwait(Duration.ofSeconds(5))
                .expectNext(0L, 1L, 2L, 3L, 4L)
                .verifyComplete();
        StepVerifier.withVirtualTime(() -> Flux.just(1).concatWith(Mono.never())
                        .transform(TimeoutOperator.perElement(Duration.ofSeconds(1))))
                .expectNext(1)
                .expectNoEvent(Duration.ofMillis(999))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> assertThat(((AttemptTimeoutException) e).perElement()).isTrue())
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aTimeoutInsideTheBreakerIsAFailureTheBreakerRecords() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        CircuitBreaker breaker = CircuitBreaker.of("cb", CircuitBreakerConfig.builder()
                .clock(() -> vts.now(java.util.concurrent.TimeUnit.NANOSECONDS))
                .slidingWindow(SlidingWindow.countBased(2)).minimumNumberOfCalls(2).build());
        StepVerifier.withVirtualTime(() -> Mono.never().transform(Resilience.pipeline()
                                .circuitBreaker(breaker).timeout(Duration.ofSeconds(1)).scheduler(() -> vts).build()),
                        () -> vts, Long.MAX_VALUE)
                .thenAwait(Duration.ofSeconds(1))
                .verifyError(AttemptTimeoutException.class);
        assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void timeoutValidatesAndReportsScannableAttributes() {
        assertThatThrownBy(() -> TimeoutOperator.of(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> TimeoutOperator.of(null)).isInstanceOf(NullPointerException.class);
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        AtomicReference<Scannable> inner = new AtomicReference<>();
        BaseSubscriber<Object> sink = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                inner.set(Scannable.from(s));
            }
        };
        Mono.never().transform(TimeoutOperator.of(Duration.ofSeconds(1)).scheduler(() -> vts)).subscribe(sink);
        Scannable s = inner.get();
        assertThat(s.scanUnsafe(Scannable.Attr.RUN_ON)).isSameAs(vts);
        assertThat(s.scan(Scannable.Attr.RUN_STYLE)).isEqualTo(Scannable.Attr.RunStyle.ASYNC);
        assertThat(s.scan(Scannable.Attr.TERMINATED)).isFalse();
        assertThat(s.scanUnsafe(Scannable.Attr.ACTUAL)).isSameAs(sink);
        sink.cancel();
        assertThat(s.scan(Scannable.Attr.CANCELLED)).isTrue();
        vts.advanceTimeBy(Duration.ofSeconds(5)); // the disarmed timer fires nothing
        assertThat(s.scan(Scannable.Attr.TERMINATED)).isFalse();
    }

    @Test
    void contextFlowsThroughBulkheadAndTimeout() {
        StepVerifier.create(Mono.deferContextual(c -> Mono.just(c.<String>get("k")))
                        .transform(TimeoutOperator.of(Duration.ofSeconds(5)))
                        .transform(BulkheadOperator.of(Bulkhead.of("c", 1)))
                        .contextWrite(Context.of("k", "v")))
                .expectNext("v").verifyComplete();
    }

    @Test
    void blockHoundIsInstalledAndCatchesBlockingCallsOnReactorThreads() {
        StepVerifier.create(Mono.fromCallable(() -> {
                    Thread.sleep(1);
                    return 1;
                }).subscribeOn(Schedulers.parallel()))
                .expectError(BlockingOperationError.class)
                .verify(Duration.ofSeconds(5));
    }
}
