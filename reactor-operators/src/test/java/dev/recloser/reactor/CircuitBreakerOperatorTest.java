package dev.recloser.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreaker.State;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.testing.ManualClock;
import dev.recloser.core.SlidingWindow;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Scannable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.util.context.Context;

class CircuitBreakerOperatorTest {

    private final ManualClock clock = new ManualClock();

    private CircuitBreaker breaker(CircuitBreakerConfig.Builder b) {
        return CircuitBreaker.of("test", b.clock(clock).build());
    }

    private CircuitBreakerConfig.Builder small() {
        return CircuitBreakerConfig.builder().slidingWindow(SlidingWindow.countBased(4)).minimumNumberOfCalls(4)
                .openStateJitter(0).waitDurationInOpenState(Duration.ofSeconds(10))
                .openStateBackoff(1, Duration.ofSeconds(10));
    }

    @Test
    void openBreakerFailsFastWithoutSubscribingTheSource() {
        CircuitBreaker b = breaker(small());
        b.transitionToForcedOpen();
        AtomicInteger subscriptions = new AtomicInteger();
        Mono<String> source = Mono.fromCallable(() -> "value").doOnSubscribe(s -> subscriptions.incrementAndGet());

        StepVerifier.create(source.transform(CircuitBreakerOperator.of(b)))
                .expectSubscription()
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(CallNotPermittedException.class);
                    assertThat(((CallNotPermittedException) e).state()).isEqualTo(State.FORCED_OPEN);
                    assertThat(e.getStackTrace()).isEmpty();
                })
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(Flux.just(1, 2).doOnSubscribe(s -> subscriptions.incrementAndGet())
                        .transform(CircuitBreakerOperator.of(b)))
                .expectError(CallNotPermittedException.class)
                .verify(Duration.ofSeconds(5));
        assertThat(subscriptions).hasValue(0);
    }

    @Test
    void monoValueEmptyAndErrorAreClassifiedByTheBreaker() {
        CircuitBreaker b = breaker(small().failureRateThreshold(100).recordResult("503"::equals));
        StepVerifier.create(Mono.just("200").transform(CircuitBreakerOperator.of(b))).expectNext("200").verifyComplete();
        StepVerifier.create(Mono.<String>empty().transform(CircuitBreakerOperator.of(b))).verifyComplete();
        StepVerifier.create(Mono.just("503").transform(CircuitBreakerOperator.of(b))).expectNext("503").verifyComplete();
        StepVerifier.create(Mono.<String>error(new IOException("down")).transform(CircuitBreakerOperator.of(b)))
                .verifyError(IOException.class);
        assertThat(b.metrics().bufferedCalls()).isEqualTo(4);
        assertThat(b.metrics().failedCalls()).isEqualTo(2);
    }

    @Test
    void aFluxSubscriptionIsOneCall() {
        CircuitBreaker b = breaker(small());
        StepVerifier.create(Flux.range(1, 100).transform(CircuitBreakerOperator.of(b)))
                .expectNextCount(100).verifyComplete();
        StepVerifier.create(Flux.range(1, 3).concatWith(Flux.error(new IOException()))
                        .transform(CircuitBreakerOperator.of(b)))
                .expectNextCount(3).verifyError(IOException.class);
        assertThat(b.metrics().bufferedCalls()).isEqualTo(2);
        assertThat(b.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void monoStaysMonoAndFluxStaysFlux() {
        CircuitBreaker b = breaker(small());
        Mono<Integer> mono = Mono.just(1).transform(CircuitBreakerOperator.of(b));
        Flux<Integer> flux = Flux.just(1).transform(CircuitBreakerOperator.of(b));
        assertThat(mono).isInstanceOf(Lifted.LiftedMono.class);
        assertThat(flux).isInstanceOf(Lifted.LiftedFlux.class);
    }

    @Test
    void cancelReleasesByDefaultAndCanCountAsSuccessOrFailure() {
        CircuitBreaker ignore = breaker(small());
        StepVerifier.create(Mono.never().transform(CircuitBreakerOperator.of(ignore))).thenCancel().verify();
        assertThat(ignore.metrics().bufferedCalls()).isZero();

        CircuitBreaker success = breaker(small());
        StepVerifier.create(Mono.never().transform(CircuitBreakerOperator.of(success).onCancel(CancelOutcome.SUCCESS)))
                .thenCancel().verify();
        assertThat(success.metrics().bufferedCalls()).isEqualTo(1);
        assertThat(success.metrics().failedCalls()).isZero();

        CircuitBreaker failure = breaker(small());
        StepVerifier.create(Flux.never().transform(CircuitBreakerOperator.of(failure).onCancel(CancelOutcome.FAILURE)))
                .thenCancel().verify();
        assertThat(failure.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void cancelledHalfOpenTrialReturnsItsPermit() {
        CircuitBreaker b = breaker(small());
        tripOpen(b);
        clock.advance(Duration.ofSeconds(10));
        StepVerifier.create(Mono.never().transform(CircuitBreakerOperator.of(b))).thenCancel().verify();
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
        StepVerifier.create(Mono.just(1).transform(CircuitBreakerOperator.of(b))).expectNext(1).verifyComplete();
        assertThat(b.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void halfOpenAfterTheOpenWaitOnVirtualTime() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        CircuitBreaker b = CircuitBreaker.of("virtual", small().clock(() -> vts.now(TimeUnit.NANOSECONDS)).build());
        tripOpen(b);
        StepVerifier.withVirtualTime(() -> Mono.just("probe").transform(CircuitBreakerOperator.of(b))
                                .onErrorResume(CallNotPermittedException.class, e -> Mono.delay(e.retryAfter())
                                        .then(Mono.just("probe").transform(CircuitBreakerOperator.of(b)))),
                        () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(9))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext("probe")
                .verifyComplete();
        assertThat(b.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void durationRunsFromSubscribeToTerminalOnTheBreakersClock() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        CircuitBreaker b = CircuitBreaker.of("slow", small().clock(() -> vts.now(TimeUnit.NANOSECONDS))
                .slowCallDurationThreshold(Duration.ofSeconds(2)).build());
        StepVerifier.withVirtualTime(() -> Mono.delay(Duration.ofSeconds(3)).transform(CircuitBreakerOperator.of(b)),
                        () -> vts, Long.MAX_VALUE)
                .thenAwait(Duration.ofSeconds(3))
                .expectNext(0L)
                .verifyComplete();
        assertThat(b.metrics().slowCalls()).isEqualTo(1);
    }

    @Test
    void throwingClassifierGoesThroughOnOperatorErrorAndNothingIsLost() {
        IllegalStateException bug = new IllegalStateException("classifier bug");
        CircuitBreaker b = breaker(small().recordFailure(e -> {
            throw bug;
        }).recordResult(v -> {
            throw bug;
        }));
        IOException original = new IOException("call failed");
        StepVerifier.create(Mono.error(original).transform(CircuitBreakerOperator.of(b)))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isSameAs(bug);
                    assertThat(e.getSuppressed()).contains(original);
                })
                .verify(Duration.ofSeconds(5));
        AtomicInteger cancelled = new AtomicInteger();
        StepVerifier.create(Mono.just("v").doOnCancel(cancelled::incrementAndGet).transform(CircuitBreakerOperator.of(b)))
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(bug))
                .verify(Duration.ofSeconds(5));
        assertThat(cancelled).hasValue(1); // upstream was cancelled by onOperatorError
        assertThat(b.metrics().bufferedCalls()).isZero(); // both permits were released, no outcome
    }

    @Test
    void contextFlowsThroughUntouched() {
        CircuitBreaker b = breaker(small());
        StepVerifier.create(Mono.deferContextual(ctx -> Mono.just(ctx.get("k")))
                        .transform(CircuitBreakerOperator.of(b))
                        .contextWrite(Context.of("k", "v")))
                .expectNext("v").verifyComplete();
    }

    @Test
    void scannableAttributes() {
        CircuitBreaker b = breaker(small());
        AtomicReference<Scannable> inner = new AtomicReference<>();
        Flux<Integer> guarded = Flux.just(1, 2).transform(CircuitBreakerOperator.of(b));
        assertThat(Scannable.from(guarded).scan(Scannable.Attr.RUN_STYLE)).isEqualTo(Scannable.Attr.RunStyle.SYNC);
        assertThat(Scannable.from(guarded).scan(Scannable.Attr.PARENT)).isNotNull();
        assertThat(Scannable.from(guarded).scan(Scannable.Attr.NAME)).isNull();
        assertThat(Scannable.from(guarded).stepName()).isEqualTo("circuitBreaker(test)");
        assertThat(Scannable.from(Flux.just(1).name("inventory.get").transform(CircuitBreakerOperator.of(b))).name())
                .isEqualTo("inventory.get");
        BaseSubscriber<Integer> sink = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                inner.set(Scannable.from(s));
                request(1);
            }
        };
        guarded.subscribe(sink);
        Scannable sub = inner.get();
        assertThat(sub.scanUnsafe(Scannable.Attr.ACTUAL)).isSameAs(sink);
        assertThat(sub.scan(Scannable.Attr.PARENT)).isNotNull();
        assertThat(sub.scan(Scannable.Attr.TERMINATED)).isFalse();
        assertThat(sub.scan(Scannable.Attr.CANCELLED)).isFalse();
        assertThat(sub.scan(Scannable.Attr.RUN_STYLE)).isEqualTo(Scannable.Attr.RunStyle.SYNC);
        // The operator describes itself by its step; NAME is the user's (.name(...)) alone.
        assertThat(sub.scan(Scannable.Attr.NAME)).isNull();
        assertThat(sub.stepName()).isEqualTo("circuitBreaker(test)");
        sink.cancel();
        assertThat(sub.scan(Scannable.Attr.CANCELLED)).isTrue();
    }

    @Test
    void lateSignalsAfterTerminationAreDropped() {
        CircuitBreaker b = breaker(small());
        List<Object> dropped = new java.util.concurrent.CopyOnWriteArrayList<>();
        Hooks.onNextDropped(dropped::add);
        try {
            Flux<Integer> misbehaving = Flux.from(s -> {
                s.onSubscribe(new org.reactivestreams.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                s.onComplete();
                s.onNext(42);
            });
            StepVerifier.create(misbehaving.transform(CircuitBreakerOperator.of(b))).verifyComplete();
            assertThat(dropped).containsExactly(42);
            assertThat(b.metrics().bufferedCalls()).isEqualTo(1);
        } finally {
            Hooks.resetOnNextDropped();
        }
    }

    private static void tripOpen(CircuitBreaker b) {
        for (int i = 0; i < 4; i++) {
            b.onError(b.tryAcquirePermit(), 1, new IOException());
        }
        assertThat(b.state()).isEqualTo(State.OPEN);
    }

    @Test
    void clockReadingsPerCallAreAtMostOneUnlessTheBreakerWantsDurations() {
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        dev.recloser.core.NanoClock counting = () -> {
            reads.incrementAndGet();
            return clock.nanoTime();
        };
        CircuitBreaker untimed = CircuitBreaker.of("untimed", small().clock(counting).build());
        reads.set(0);
        StepVerifier.create(Mono.just(1).transform(CircuitBreakerOperator.of(untimed))).expectNext(1).verifyComplete();
        assertThat(reads).as("closed path, no slow-call detection, no listener").hasValue(0);

        untimed.transitionToForcedOpen();
        reads.set(0);
        StepVerifier.create(Mono.just(1).transform(CircuitBreakerOperator.of(untimed)))
                .verifyError(CallNotPermittedException.class);
        assertThat(reads).as("a forced-open fast fail: its retry-after does not depend on the time").hasValue(0);

        untimed.reset();
        tripOpen(untimed);
        reads.set(0);
        StepVerifier.create(Mono.just(1).transform(CircuitBreakerOperator.of(untimed)))
                .verifyError(CallNotPermittedException.class);
        assertThat(reads).as("an open fast fail: the deadline check and the retry-after share one reading").hasValue(1);

        CircuitBreaker timed = CircuitBreaker.of("timed", small().clock(counting)
                .slowCallDurationThreshold(Duration.ofSeconds(1)).build());
        reads.set(0);
        StepVerifier.create(Mono.just(1).transform(CircuitBreakerOperator.of(timed))).expectNext(1).verifyComplete();
        assertThat(reads).as("start and end of a timed call").hasValue(2);

        CircuitBreaker listened = CircuitBreaker.of("listened", small().clock(counting).build());
        assertThat(dev.recloser.core.internal.BreakerProtocol.of(listened).wantsCallDurations()).isFalse();
        listened.addListener(new dev.recloser.core.CircuitBreakerListener() { });
        assertThat(dev.recloser.core.internal.BreakerProtocol.of(listened).wantsCallDurations()).isTrue();
    }
}
