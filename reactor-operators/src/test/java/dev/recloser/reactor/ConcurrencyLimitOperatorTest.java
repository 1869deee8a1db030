package dev.recloser.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.testing.ManualClock;
import dev.recloser.core.limit.AimdLimit;
import dev.recloser.core.limit.ConcurrencyLimitConfig;
import dev.recloser.core.limit.ConcurrencyLimiter;
import dev.recloser.core.limit.LimitExceededException;
import dev.recloser.core.retry.RetryPolicy;
import dev.recloser.core.SlidingWindow;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

class ConcurrencyLimitOperatorTest {

    private final ManualClock clock = new ManualClock();

    /** AIMD from {@code limit}, 1 s windows fed from one sample, every call sampled (the manual clock may not move). */
    private ConcurrencyLimiter limiter(int limit) {
        return ConcurrencyLimiter.of("db", ConcurrencyLimitConfig.builder().clock(clock).minSamples(1)
                .minRttThreshold(Duration.ZERO)
                .algorithm(AimdLimit.builder().initialLimit(limit).minLimit(1).maxLimit(100).build()).build());
    }

    /**
     * Closes the current window with one more successful call of 1 ms at in flight 1 (a sample that
     * neither drops nor, for limits above 2, grows AIMD), so that the limit shows what the window saw.
     */
    private void closeWindow(ConcurrencyLimiter l) {
        clock.advance(Duration.ofSeconds(1));
        long p = l.tryAcquire();
        clock.advance(Duration.ofMillis(1));
        l.onSuccess(p);
    }

    @Test
    void rejectsWithoutSubscribingWhenAtTheLimitAndReleasesOnTerminalOrCancel() {
        ConcurrencyLimiter l = limiter(1);
        AtomicInteger subscriptions = new AtomicInteger();
        TestPublisher<String> first = TestPublisher.create();
        List<String> received = new CopyOnWriteArrayList<>();
        first.mono().transform(ConcurrencyLimitOperator.of(l)).subscribe(received::add);
        assertThat(l.inFlight()).isEqualTo(1);
        Mono<String> second = Mono.fromCallable(() -> "x").doOnSubscribe(s -> subscriptions.incrementAndGet())
                .transform(ConcurrencyLimitOperator.of(l));
        StepVerifier.create(second)
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(LimitExceededException.class);
                    assertThat(((LimitExceededException) e).limit()).isEqualTo(1);
                    assertThat(e.getStackTrace()).isEmpty();
                })
                .verify(Duration.ofSeconds(5));
        assertThat(subscriptions).hasValue(0);
        assertThat(l.rejectedCalls()).isEqualTo(1);
        first.emit("done");
        assertThat(received).containsExactly("done");
        assertThat(l.inFlight()).isZero();
        StepVerifier.create(second).expectNext("x").verifyComplete();
        StepVerifier.create(Flux.never().transform(ConcurrencyLimitOperator.of(l))).thenCancel().verify();
        StepVerifier.create(Flux.range(1, 3).transform(ConcurrencyLimitOperator.of(l))).expectNext(1, 2, 3).verifyComplete();
        assertThat(l.inFlight()).isZero();
    }

    @Test
    void aSuccessIsASampleThatLetsAimdGrow() {
        ConcurrencyLimiter l = limiter(2);
        StepVerifier.create(Mono.just(1).delaySubscription(Duration.ZERO)
                        .transform(ConcurrencyLimitOperator.of(l)))
                .expectNext(1).verifyComplete();
        // One success sample in flight 1 of 2: the window grows AIMD by one.
        closeWindow(l);
        assertThat(l.limit()).isEqualTo(3);
    }

    @Test
    void aTimeoutIsADropAndOtherErrorsAndCancelsAreNotSampled() {
        ConcurrencyLimiter l = limiter(40);
        StepVerifier.create(Mono.error(new IOException("refused")).transform(ConcurrencyLimitOperator.of(l)))
                .verifyError(IOException.class);
        StepVerifier.create(Mono.never().transform(ConcurrencyLimitOperator.of(l))).thenCancel().verify();
        closeWindow(l);
        assertThat(l.limit()).isEqualTo(40); // nothing sampled: no window fed AIMD

        StepVerifier.create(Mono.never().transform(TimeoutOperator.of(Duration.ofMillis(5)))
                        .transform(ConcurrencyLimitOperator.of(l)))
                .expectError(AttemptTimeoutException.class).verify(Duration.ofSeconds(5));
        closeWindow(l);
        assertThat(l.limit()).isEqualTo(36); // 40 * 0.9
        assertThat(l.inFlight()).isZero();
    }

    @Test
    void dropOnResultTurnsAValueIntoADropAndDropOnReplacesTheErrorRule() {
        ConcurrencyLimiter l = limiter(40);
        StepVerifier.create(Mono.just(503).transform(ConcurrencyLimitOperator.<Integer>of(l)
                        .dropOnResult(v -> Integer.valueOf(503).equals(v))))
                .expectNext(503).verifyComplete();
        closeWindow(l);
        assertThat(l.limit()).isEqualTo(36);
        StepVerifier.create(Mono.error(new IOException("reset")).transform(ConcurrencyLimitOperator.of(l)
                        .dropOn(e -> e instanceof IOException)))
                .verifyError(IOException.class);
        closeWindow(l);
        assertThat(l.limit()).isEqualTo(32); // 36 * 0.9 = 32.4
    }

    @Test
    void aThrowingPredicateReleasesThePermitAndReportsItsError() {
        ConcurrencyLimiter l = limiter(2);
        StepVerifier.create(Mono.just(1).transform(ConcurrencyLimitOperator.<Integer>of(l).dropOnResult(v -> {
                    throw new IllegalStateException("classifier");
                })))
                .verifyErrorMessage("classifier");
        StepVerifier.create(Mono.error(new IOException("x")).transform(ConcurrencyLimitOperator.of(l).dropOn(e -> {
                    throw new IllegalStateException("classifier");
                })))
                .verifyErrorMatches(e -> e.getMessage().equals("classifier") && e.getSuppressed().length == 1);
        assertThat(l.inFlight()).isZero();
    }

    @Test
    void aSourceThatThrowsOnSubscribeReleasesThePermit() {
        ConcurrencyLimiter l = limiter(2);
        Mono<Integer> broken = new Mono<>() {
            @Override
            public void subscribe(reactor.core.CoreSubscriber<? super Integer> actual) {
                throw new IllegalStateException("broken source");
            }
        };
        StepVerifier.create(broken.transform(ConcurrencyLimitOperator.of(l))).verifyErrorMessage("broken source");
        assertThat(l.inFlight()).isZero();
    }

    @Test
    void monoStaysMonoAndScanReportsTheOperator() {
        ConcurrencyLimiter l = limiter(2);
        assertThat(Mono.just(1).transform(ConcurrencyLimitOperator.of(l))).isInstanceOf(Mono.class);
        assertThat(Flux.just(1).transform(ConcurrencyLimitOperator.of(l))).isInstanceOf(Flux.class);
        // The operator describes itself through stepName(); only the user's .name(...) sets Attr.NAME.
        assertThat(Scannable.from(Mono.just(1).transform(ConcurrencyLimitOperator.of(l))).stepName())
                .isEqualTo("concurrencyLimit(db)");
        assertThat(Scannable.from(Mono.just(1).name("db.get").transform(ConcurrencyLimitOperator.of(l))).name())
                .isEqualTo("db.get");
        TestPublisher<Integer> source = TestPublisher.create();
        List<Scannable> inner = new CopyOnWriteArrayList<>();
        source.flux().transform(ConcurrencyLimitOperator.of(l))
                .subscribe(new reactor.core.publisher.BaseSubscriber<Integer>() {
                    @Override
                    protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                        inner.add(Scannable.from(s));
                        request(1);
                    }
                });
        Scannable s = inner.get(0);
        assertThat(s.stepName()).isEqualTo("concurrencyLimit(db)");
        assertThat(s.scan(Scannable.Attr.NAME)).isNull();
        assertThat(s.scan(Scannable.Attr.TERMINATED)).isFalse();
        assertThat(s.scan(Scannable.Attr.CANCELLED)).isFalse();
        assertThat(s.scan(Scannable.Attr.RUN_STYLE)).isEqualTo(Scannable.Attr.RunStyle.SYNC);
        assertThat(s.scan(Scannable.Attr.ACTUAL)).isNotNull();
        source.complete();
        assertThat(s.scan(Scannable.Attr.TERMINATED)).isTrue();
    }

    @Test
    void inTheStandardPipelineALimitRejectionNeverReachesTheBreakerAndEachAttemptTakesAPermit() {
        ConcurrencyLimiter l = limiter(1);
        CircuitBreaker breaker = CircuitBreaker.of("cb", CircuitBreakerConfig.builder()
                .slidingWindow(SlidingWindow.countBased(10)).minimumNumberOfCalls(10).build());
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicy retry = RetryPolicy.builder().maxAttempts(3)
                .retryOn(e -> !(e instanceof LimitExceededException)).build();
        Mono<Integer> call = Mono.fromCallable(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("flaky");
            }
            return 7;
        });
        StepVerifier.withVirtualTime(() -> call.transform(Resilience.standard().retry(retry).concurrencyLimit(l).circuitBreaker(breaker)
                        .scheduler(reactor.test.scheduler.VirtualTimeScheduler::get).build()))
                .thenAwait(Duration.ofMinutes(1))
                .expectNext(7).verifyComplete();
        assertThat(attempts).hasValue(3);
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(3); // every attempt went through the limit and the breaker
        assertThat(l.inFlight()).isZero();

        long held = l.tryAcquire(); // somebody else holds the only permit
        StepVerifier.create(Mono.just(1).transform(Resilience.standard().retry(retry).concurrencyLimit(l).circuitBreaker(breaker).build()))
                .verifyError(LimitExceededException.class);
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(3);
        l.onIgnore(held);
    }
}
