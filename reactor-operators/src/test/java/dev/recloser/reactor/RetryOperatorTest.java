package dev.recloser.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.retry.Backoff;
import dev.recloser.core.retry.RetryBudget;
import dev.recloser.core.retry.RetryExhaustedException;
import dev.recloser.core.retry.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.Scannable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.util.context.Context;

class RetryOperatorTest {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    /** Replaced by {@link #freshVirtualTime()}: StepVerifier disposes the scheduler when it is done. */
    private VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    /** Start times of the source's subscriptions, in virtual milliseconds. */
    private final List<Long> subscribedAtMs = new CopyOnWriteArrayList<>();

    @AfterEach
    void resetVirtualTime() {
        VirtualTimeScheduler.reset();
    }

    private VirtualTimeScheduler freshVirtualTime() {
        vts = VirtualTimeScheduler.create();
        return vts;
    }

    private long nowMs() {
        return vts.now(TimeUnit.MILLISECONDS);
    }

    private static RetryPolicy.Builder fixed(int maxAttempts, Duration delay) {
        return RetryPolicy.builder().maxAttempts(maxAttempts).backoff(Backoff.fixed(delay));
    }

    /** A Mono that records when it is subscribed and fails with IOException("attempt N"). */
    private Mono<String> failing() {
        AtomicInteger n = new AtomicInteger();
        return Mono.defer(() -> {
            subscribedAtMs.add(nowMs());
            return Mono.error(new IOException("attempt " + n.incrementAndGet()));
        });
    }

    @Test
    void exponentialBackoffWaitsOnTheSchedulerThenExhausts() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(4)
                .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10))).build();

        // The default scheduler supplier (Schedulers::parallel) is resolved at subscription, so the
        // virtual-time factory installed by withVirtualTime takes effect.
        StepVerifier.withVirtualTime(() -> failing().transform(RetryOperator.of(policy)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(100))
                .expectNoEvent(Duration.ofMillis(200))
                .expectNoEvent(Duration.ofMillis(399))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(RetryExhaustedException.class);
                    RetryExhaustedException x = (RetryExhaustedException) e;
                    assertThat(x.attempts()).isEqualTo(4);
                    assertThat(x.getCause()).isInstanceOf(IOException.class).hasMessage("attempt 4");
                    assertThat(x.getSuppressed()).extracting(Throwable::getMessage)
                            .containsExactly("attempt 1", "attempt 2", "attempt 3");
                    assertThat(x.lastResult()).isNull();
                })
                .verify(VERIFY);
        assertThat(subscribedAtMs).containsExactly(0L, 100L, 300L, 700L);
    }

    @Test
    void fluxIsRetriedTooAndStaysAFlux() {
        AtomicInteger n = new AtomicInteger();
        Flux<Integer> source = Flux.defer(() -> n.incrementAndGet() < 3
                ? Flux.error(new IOException()) : Flux.just(1, 2, 3));
        StepVerifier.withVirtualTime(() -> source.transform(RetryOperator.of(fixed(3, Duration.ofMillis(10)).build())),
                        () -> vts, Long.MAX_VALUE)
                .thenAwait(Duration.ofMillis(20))
                .expectNext(1, 2, 3)
                .verifyComplete();
        assertThat(n).hasValue(3);
    }

    @Test
    void monoStaysAMonoAndTheOperatorIsATemplate() {
        RetryOperator<String> op = RetryOperator.of(RetryPolicy.defaults());
        assertThat(Mono.just("x").transform(op)).isInstanceOf(Mono.class);
        assertThat(Flux.just("x").transform(op)).isInstanceOf(Flux.class);
        RetryOperator<String> other = op.resetAttemptsOnNext(true).budget(RetryBudget.of(0.1, 1));
        assertThat(other).isNotSameAs(op);
        assertThat(op.budget()).isEmpty();
        assertThat(other.budget()).isPresent();
        assertThat(other.noBudget().budget()).isEmpty();
        assertThat(op.policy()).isSameAs(RetryPolicy.defaults());
        assertThatThrownBy(() -> RetryOperator.of(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> op.scheduler(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> op.budget(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void delayHintBeatsTheBackoffUpToItsCap() {
        RetryPolicy policy = fixed(3, Duration.ofMillis(100))
                .delayHint(f -> f instanceof RetryAfter r ? r.after : null)
                .maxDelayHint(Duration.ofSeconds(2))
                .build();
        AtomicInteger n = new AtomicInteger();
        Mono<String> source = Mono.defer(() -> {
            subscribedAtMs.add(nowMs());
            switch (n.incrementAndGet()) {
                case 1: return Mono.error(new RetryAfter(Duration.ofSeconds(1)));
                case 2: return Mono.error(new RetryAfter(Duration.ofSeconds(30))); // capped at 2 s
                default: return Mono.just("ok");
            }
        });
        StepVerifier.withVirtualTime(() -> source.transform(RetryOperator.of(policy)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(2999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("ok")
                .verifyComplete();
        assertThat(subscribedAtMs).containsExactly(0L, 1000L, 3000L);
    }

    @Test
    void maxTotalDurationStopsWhenTheNextDelayWouldNotFit() {
        RetryPolicy policy = fixed(10, Duration.ofMillis(400))
                .maxTotalDuration(Duration.ofSeconds(1))
                .clock(() -> vts.now(TimeUnit.NANOSECONDS))
                .build();
        StepVerifier.withVirtualTime(() -> failing().transform(RetryOperator.of(policy)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(799))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> {
                    // Attempts at 0, 400, 800 ms; at 800 ms a 400 ms wait would end at the 1 s bound.
                    assertThat(e).isInstanceOf(RetryExhaustedException.class);
                    assertThat(((RetryExhaustedException) e).attempts()).isEqualTo(3);
                    assertThat(e.getCause()).hasMessage("attempt 3");
                })
                .verify(VERIFY);
        assertThat(subscribedAtMs).containsExactly(0L, 400L, 800L);
    }

    @Test
    void monoResultMatchedByRetryOnResultIsDiscardedAndRetried() {
        RetryPolicy policy = fixed(3, Duration.ofMillis(50)).retryOnResult("503"::equals).build();
        AtomicInteger n = new AtomicInteger();
        List<Object> discarded = new CopyOnWriteArrayList<>();
        Mono<String> source = Mono.fromSupplier(() -> n.incrementAndGet() < 3 ? "503" : "200");

        StepVerifier.withVirtualTime(() -> source.transform(RetryOperator.of(policy))
                                .doOnDiscard(Object.class, discarded::add),
                        () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(99))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("200")
                .verifyComplete();
        assertThat(n).hasValue(3);
        assertThat(discarded).containsExactly("503", "503");
    }

    /**
     * A retried value is discarded before its attempt is cancelled: a source that frees its value
     * when cancelled after emitting it, unless the value is already being freed (Spring's Reactor
     * connector drains a response's body then), must see the discard first, so that the value is
     * freed once (issue 15: the other order read a drained body twice).
     */
    @Test
    void aRetriedValueIsDiscardedBeforeItsAttemptIsCancelled() {
        RetryPolicy policy = fixed(2, Duration.ZERO).retryOnResult("503"::equals).build();
        AtomicInteger n = new AtomicInteger();
        List<String> events = new CopyOnWriteArrayList<>();
        Mono<String> source = Mono.fromSupplier(() -> n.incrementAndGet() == 1 ? "503" : "200")
                .doOnCancel(() -> events.add("cancel"));

        StepVerifier.create(source.transform(RetryOperator.of(policy))
                        .doOnDiscard(String.class, v -> events.add("discard " + v)))
                .expectNext("200")
                .verifyComplete();
        assertThat(events).containsExactly("discard 503", "cancel");
    }

    @Test
    void monoResultExhaustionCarriesTheLastResult() {
        RetryPolicy policy = fixed(3, Duration.ofMillis(50)).retryOnResult("503"::equals).build();
        AtomicInteger n = new AtomicInteger();
        List<Object> discarded = new CopyOnWriteArrayList<>();
        Mono<String> source = Mono.fromSupplier(() -> {
            n.incrementAndGet();
            return "503";
        });
        StepVerifier.withVirtualTime(() -> source.transform(RetryOperator.of(policy))
                                .doOnDiscard(Object.class, discarded::add),
                        () -> vts, Long.MAX_VALUE)
                .thenAwait(Duration.ofMillis(100))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(RetryExhaustedException.class).hasNoCause();
                    RetryExhaustedException x = (RetryExhaustedException) e;
                    assertThat(x.attempts()).isEqualTo(3);
                    assertThat(x.lastResult()).isEqualTo("503");
                })
                .verify(VERIFY);
        assertThat(n).hasValue(3);
        // The two retried values are discarded; the last one travels in the exception.
        assertThat(discarded).hasSize(2);
    }

    @Test
    void retryOnResultDoesNotApplyToAFlux() {
        RetryPolicy policy = fixed(3, Duration.ofMillis(50)).retryOnResult("503"::equals).build();
        StepVerifier.create(Flux.just("503", "200").transform(RetryOperator.of(policy)))
                .expectNext("503", "200")
                .expectComplete()
                .verify(VERIFY);
    }

    @Test
    void openBreakerIsNotRetriedByDefault() {
        CircuitBreaker breaker = breaker();
        AtomicInteger calls = new AtomicInteger();
        Mono<String> source = Mono.defer(() -> {
            calls.incrementAndGet();
            return Mono.<String>error(new IOException("down"));
        });
        RetryPolicy policy = fixed(3, Duration.ofMillis(100)).build();

        StepVerifier.withVirtualTime(() -> source.transform(CircuitBreakerOperator.of(breaker))
                                .transform(RetryOperator.of(policy)),
                        () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(99))
                .thenAwait(Duration.ofMillis(1))
                // the retry met the open breaker: its rejection passes through, not wrapped
                .expectError(CallNotPermittedException.class)
                .verify(VERIFY);
        assertThat(calls).hasValue(1);
    }

    @Test
    void withWaitForOpenBreakerTheRetryWaitsForRetryAfter() {
        CircuitBreaker breaker = breaker();
        AtomicInteger calls = new AtomicInteger();
        Mono<String> source = Mono.defer(() -> {
            subscribedAtMs.add(nowMs());
            return calls.incrementAndGet() == 1 ? Mono.error(new IOException("down")) : Mono.just("ok");
        });
        RetryPolicy policy = fixed(3, Duration.ofMillis(100)).waitForOpenBreaker(true).build();

        StepVerifier.withVirtualTime(() -> source.transform(CircuitBreakerOperator.of(breaker))
                                .transform(RetryOperator.of(policy)),
                        () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                // 0: failure opens the breaker for 5 s; 100 ms: rejected, retryAfter 4.9 s; 5 s: trial call
                .expectNoEvent(Duration.ofMillis(4999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("ok")
                .verifyComplete();
        assertThat(subscribedAtMs).containsExactly(0L, 5000L);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    private CircuitBreaker breaker() {
        return CircuitBreaker.of("inventory", CircuitBreakerConfig.builder()
                .consecutiveFailureThreshold(1)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .openStateBackoff(1.0, Duration.ofSeconds(5))
                .openStateJitter(0)
                .clock(() -> vts.now(TimeUnit.NANOSECONDS))
                .build());
    }

    @Test
    void twoSubscriptionsOfOneAssembledRetryAreIndependent() {
        AtomicInteger calls = new AtomicInteger();
        Mono<String> retried = Mono.<String>defer(() -> {
            calls.incrementAndGet();
            return Mono.error(new IOException());
        }).transform(RetryOperator.of(fixed(3, Duration.ofMillis(100)).build()));

        // Sequentially: the second subscription starts from attempt 1 again.
        for (int round = 0; round < 2; round++) {
            StepVerifier.withVirtualTime(() -> retried, this::freshVirtualTime, Long.MAX_VALUE)
                    .thenAwait(Duration.ofMillis(200))
                    .expectErrorSatisfies(e -> assertThat(((RetryExhaustedException) e).attempts()).isEqualTo(3))
                    .verify(VERIFY);
        }
        assertThat(calls).hasValue(6);

        // Concurrently, interleaved on one scheduler.
        freshVirtualTime();
        calls.set(0);
        AtomicReference<Throwable> first = new AtomicReference<>();
        AtomicReference<Throwable> second = new AtomicReference<>();
        Mono<String> onVts = Mono.<String>defer(() -> {
            calls.incrementAndGet();
            return Mono.error(new IOException());
        }).transform(RetryOperator.<String>of(fixed(3, Duration.ofMillis(100)).build()).scheduler(() -> vts));
        onVts.subscribe(v -> { }, first::set);
        vts.advanceTimeBy(Duration.ofMillis(50));
        onVts.subscribe(v -> { }, second::set);
        vts.advanceTimeBy(Duration.ofMillis(150));
        assertThat(first.get()).isInstanceOf(RetryExhaustedException.class);
        assertThat(second.get()).isNull();
        vts.advanceTimeBy(Duration.ofMillis(50));
        assertThat(((RetryExhaustedException) first.get()).attempts()).isEqualTo(3);
        assertThat(((RetryExhaustedException) second.get()).attempts()).isEqualTo(3);
        assertThat(calls).hasValue(6);
    }

    @Test
    void resetAttemptsOnNextLetsALongLivedFluxRecoverBeyondMaxAttempts() {
        AtomicInteger n = new AtomicInteger();
        // Attempts 1..5 each deliver one value and then fail; later attempts fail at once.
        Flux<Integer> source = Flux.defer(() -> {
            int k = n.incrementAndGet();
            Flux<Integer> error = Flux.error(new IOException("attempt " + k));
            return k <= 5 ? Flux.just(k).concatWith(error) : error;
        });
        RetryOperator<Integer> op = RetryOperator.<Integer>of(fixed(2, Duration.ofMillis(10)).build())
                .resetAttemptsOnNext(true);

        StepVerifier.withVirtualTime(() -> source.transform(op), () -> vts, Long.MAX_VALUE)
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(1, 2, 3, 4, 5)
                .expectErrorSatisfies(e -> {
                    // Attempt 5 progressed, so the count restarted there: attempt 6 is its second.
                    RetryExhaustedException x = (RetryExhaustedException) e;
                    assertThat(x.attempts()).isEqualTo(2);
                    assertThat(x.getCause()).hasMessage("attempt 6");
                    assertThat(x.getSuppressed()).extracting(Throwable::getMessage).containsExactly("attempt 5");
                })
                .verify(VERIFY);
        assertThat(n).hasValue(6);

        // Without the reset, two failures in total end the stream.
        n.set(0);
        StepVerifier.withVirtualTime(() -> source.transform(RetryOperator.of(fixed(2, Duration.ofMillis(10)).build())),
                        this::freshVirtualTime, Long.MAX_VALUE)
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(1, 2)
                .expectError(RetryExhaustedException.class)
                .verify(VERIFY);
    }

    @Test
    void budgetRefusesTheSecondRetryInItsWindow() {
        RetryBudget budget = RetryBudget.builder().ratio(0.0).minRetriesPerSecond(1).window(Duration.ofSeconds(1))
                .clock(() -> vts.now(TimeUnit.NANOSECONDS)).build();
        RetryOperator<String> op = RetryOperator.<String>of(fixed(5, Duration.ofMillis(10)).build()).budget(budget);

        StepVerifier.withVirtualTime(() -> failing().transform(op), () -> vts, Long.MAX_VALUE)
                .thenAwait(Duration.ofMillis(10))
                .expectErrorSatisfies(e -> {
                    RetryExhaustedException x = (RetryExhaustedException) e;
                    assertThat(x.attempts()).isEqualTo(2);
                    assertThat(x.getCause()).hasMessage("attempt 2");
                    assertThat(x.getSuppressed()).extracting(Throwable::getMessage).containsExactly("attempt 1");
                })
                .verify(VERIFY);
        assertThat(subscribedAtMs).containsExactly(0L, 10L);
        assertThat(budget.callsInWindow()).isEqualTo(1);
        assertThat(budget.retriesInWindow()).isEqualTo(1);
    }

    @Test
    void nonRetryableErrorPassesThroughUnchanged() {
        IllegalArgumentException bad = new IllegalArgumentException("bad request");
        AtomicInteger calls = new AtomicInteger();
        Mono<String> source = Mono.defer(() -> {
            calls.incrementAndGet();
            return Mono.error(bad);
        });
        RetryPolicy policy = fixed(3, Duration.ofMillis(10)).retryOn(e -> e instanceof IOException).build();
        StepVerifier.create(source.transform(RetryOperator.of(policy)))
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(bad).hasNoSuppressedExceptions())
                .verify(VERIFY);
        assertThat(calls).hasValue(1);
    }

    @Test
    void jvmFatalErrorsAreNeverRetried() {
        StackOverflowError fatal = new StackOverflowError("fatal");
        AtomicInteger calls = new AtomicInteger();
        Mono<String> source = Mono.defer(() -> {
            calls.incrementAndGet();
            return Mono.error(fatal);
        });
        StepVerifier.create(source.transform(RetryOperator.of(fixed(3, Duration.ofMillis(10)).build())))
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(fatal))
                .verify(VERIFY);
        assertThat(calls).hasValue(1);
    }

    @Test
    void withASingleAttemptTheOperatorIsTransparent() {
        IOException error = new IOException("once");
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(1).retryOnResult("503"::equals).build();
        StepVerifier.create(Mono.<String>error(error).transform(RetryOperator.of(policy)))
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(error))
                .verify(VERIFY);
        StepVerifier.create(Mono.just("503").transform(RetryOperator.of(policy)))
                .expectNext("503")
                .verifyComplete();
    }

    @Test
    void zeroDelayRetriesOfASynchronousFailureDoNotGrowTheStack() {
        int attempts = 100_000;
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(attempts).backoff(Backoff.none()).build();
        AtomicInteger calls = new AtomicInteger();
        Mono<String> source = Mono.defer(() -> Mono.error(new IOException("attempt " + calls.incrementAndGet())));

        StepVerifier.create(source.transform(RetryOperator.of(policy)))
                .expectErrorSatisfies(e -> {
                    RetryExhaustedException x = (RetryExhaustedException) e;
                    assertThat(x.attempts()).isEqualTo(attempts);
                    assertThat(x.getCause()).hasMessage("attempt " + attempts);
                    // Only the most recent earlier errors are kept, oldest first.
                    assertThat(x.getSuppressed()).hasSize(RetrySubscriber.MAX_EARLIER_ERRORS);
                    assertThat(x.getSuppressed()[0]).hasMessage("attempt " + (attempts - 16));
                    assertThat(x.getSuppressed()[15]).hasMessage("attempt " + (attempts - 1));
                })
                .verify(VERIFY);
        assertThat(calls).hasValue(attempts);
    }

    @Test
    void throwingRetryPredicateGoesToOnOperatorErrorWithTheOriginalSuppressed() {
        IOException original = new IOException("down");
        IllegalStateException boom = new IllegalStateException("predicate failed");
        RetryPolicy policy = fixed(3, Duration.ofMillis(10)).retryOn(e -> {
            throw boom;
        }).build();
        StepVerifier.create(Mono.<String>error(original).transform(RetryOperator.of(policy)))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isSameAs(boom);
                    assertThat(e.getSuppressed()).containsExactly(original);
                })
                .verify(VERIFY);
    }

    @Test
    void throwingDelayHintGoesToOnOperatorErrorWithTheOriginalSuppressed() {
        IOException original = new IOException("down");
        IllegalStateException boom = new IllegalStateException("hint failed");
        RetryPolicy policy = fixed(3, Duration.ofMillis(10)).delayHint(f -> {
            throw boom;
        }).build();
        AtomicInteger calls = new AtomicInteger();
        Mono<String> source = Mono.defer(() -> {
            calls.incrementAndGet();
            return Mono.error(original);
        });
        StepVerifier.create(source.transform(RetryOperator.of(policy)))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isSameAs(boom);
                    assertThat(e.getSuppressed()).containsExactly(original);
                })
                .verify(VERIFY);
        assertThat(calls).hasValue(1);
    }

    @Test
    void throwingResultPredicateCancelsTheAttemptAndDiscardsTheValue() {
        IllegalStateException boom = new IllegalStateException("result predicate failed");
        RetryPolicy policy = fixed(3, Duration.ofMillis(10)).retryOnResult(v -> {
            throw boom;
        }).build();
        AtomicInteger cancels = new AtomicInteger();
        List<Object> discarded = new CopyOnWriteArrayList<>();
        Mono<String> source = Mono.just("v").doOnCancel(cancels::incrementAndGet);
        StepVerifier.create(source.transform(RetryOperator.of(policy)).doOnDiscard(Object.class, discarded::add))
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
                .verify(VERIFY);
        assertThat(discarded).contains("v");
        assertThat(cancels).hasValue(1);
    }

    @Test
    void rejectedSchedulingEndsTheCallWithTheRejection() {
        Scheduler disposed = Schedulers.newSingle("retry-disposed");
        disposed.dispose();
        IOException original = new IOException("down");
        RetryOperator<String> op = RetryOperator.<String>of(fixed(3, Duration.ofMillis(10)).build())
                .scheduler(() -> disposed);
        StepVerifier.create(Mono.<String>error(original).transform(op))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(RejectedExecutionException.class);
                    assertThat(e.getSuppressed()).contains(original);
                })
                .verify(VERIFY);
    }

    @Test
    void aThrowingSchedulerSupplierFailsTheSubscription() {
        RetryOperator<String> op = RetryOperator.<String>of(RetryPolicy.defaults()).scheduler(() -> null);
        AtomicInteger calls = new AtomicInteger();
        StepVerifier.create(Mono.fromSupplier(() -> "x" + calls.incrementAndGet()).transform(op))
                .expectError(NullPointerException.class)
                .verify(VERIFY);
        assertThat(calls).hasValue(0);
    }

    @Test
    void cancelDuringAWaitDisposesTheTimerAndNeverResubscribes() {
        List<Disposable> timers = new CopyOnWriteArrayList<>();
        Scheduler recording = new RecordingScheduler(vts, timers);
        RetryOperator<String> op = RetryOperator.<String>of(fixed(5, Duration.ofSeconds(1)).build())
                .scheduler(() -> recording);

        StepVerifier.create(failing().transform(op))
                .expectSubscription()
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(1500)))
                .thenCancel()
                .verify(VERIFY);
        vts.advanceTimeBy(Duration.ofHours(1));
        assertThat(subscribedAtMs).containsExactly(0L, 1000L);
        assertThat(timers).hasSize(2);
        assertThat(timers.get(1).isDisposed()).isTrue();
    }

    @Test
    void aTimerThatFiresBeforeScheduleReturnsStillResubscribesOnce() {
        // Runs each task inside schedule(): the timer fires before the subscriber has stored it.
        Scheduler inline = new Scheduler() {
            @Override
            public Disposable schedule(Runnable task) {
                task.run();
                return Disposables.disposed();
            }

            @Override
            public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                return schedule(task);
            }

            @Override
            public Worker createWorker() {
                return Schedulers.immediate().createWorker();
            }
        };
        AtomicInteger n = new AtomicInteger();
        Mono<String> source = Mono.defer(() -> n.incrementAndGet() < 3 ? Mono.error(new IOException()) : Mono.just("ok"));
        StepVerifier.create(source.transform(RetryOperator.<String>of(fixed(5, Duration.ofSeconds(1)).build())
                        .scheduler(() -> inline)))
                .expectNext("ok")
                .verifyComplete();
        assertThat(n).hasValue(3);
    }

    @Test
    void contextPassesThroughToEveryAttempt() {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger n = new AtomicInteger();
        Mono<String> source = Mono.deferContextual(ctx -> {
            seen.add(ctx.get("tenant"));
            return n.incrementAndGet() < 3 ? Mono.error(new IOException()) : Mono.just("ok");
        });
        StepVerifier.withVirtualTime(() -> source.transform(RetryOperator.of(fixed(3, Duration.ofMillis(10)).build()))
                                .contextWrite(Context.of("tenant", "acme")),
                        () -> vts, Long.MAX_VALUE)
                .thenAwait(Duration.ofMillis(20))
                .expectNext("ok")
                .verifyComplete();
        assertThat(seen).containsExactly("acme", "acme", "acme");
    }

    @Test
    void scannableAttributesOfTheSubscriberAndTheOperator() {
        RetryOperator<Integer> op = RetryOperator.<Integer>of(fixed(3, Duration.ofMillis(10)).build())
                .scheduler(() -> vts);
        Flux<Integer> source = Flux.<Integer>never().hide();
        Flux<Integer> retried = source.transform(op);

        Scannable operator = Scannable.from(retried);
        assertThat(operator.scan(Scannable.Attr.RUN_STYLE)).isEqualTo(Scannable.Attr.RunStyle.ASYNC);
        assertThat(operator.scan(Scannable.Attr.PARENT)).isSameAs(source);
        assertThat(operator.name()).isEqualTo("retry");
        Scannable monoOperator = Scannable.from(Mono.never().transform(RetryOperator.of(RetryPolicy.defaults())));
        assertThat(monoOperator.scan(Scannable.Attr.RUN_STYLE)).isEqualTo(Scannable.Attr.RunStyle.ASYNC);
        assertThat(monoOperator.name()).isEqualTo("retry");

        AtomicReference<Subscription> upstream = new AtomicReference<>();
        BaseSubscriber<Integer> downstream = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                upstream.set(subscription);
                request(7);
            }
        };
        retried.subscribe(downstream);
        Scannable subscriber = Scannable.from(upstream.get());
        assertThat(subscriber).isInstanceOf(RetrySubscriber.class);
        // scanUnsafe: scan() would wrap a non-Scannable BaseSubscriber
        assertThat(subscriber.scanUnsafe(Scannable.Attr.ACTUAL)).isSameAs(downstream);
        assertThat(subscriber.scan(Scannable.Attr.PARENT)).isNotNull();
        assertThat(subscriber.scan(Scannable.Attr.TERMINATED)).isFalse();
        assertThat(subscriber.scan(Scannable.Attr.CANCELLED)).isFalse();
        assertThat(subscriber.scan(Scannable.Attr.RUN_STYLE)).isEqualTo(Scannable.Attr.RunStyle.ASYNC);
        assertThat(subscriber.scanUnsafe(Scannable.Attr.RUN_ON)).isSameAs(vts);
        assertThat(subscriber.scan(Scannable.Attr.REQUESTED_FROM_DOWNSTREAM)).isEqualTo(7L);
        assertThat(subscriber.name()).isEqualTo("retry");
        // The attempt's subscriber sits between the source and the retry subscriber.
        Scannable attempt = Scannable.from(Scannable.from(subscriber.scan(Scannable.Attr.PARENT))
                .scan(Scannable.Attr.ACTUAL));
        assertThat(attempt.scan(Scannable.Attr.ACTUAL)).isSameAs(subscriber);
        downstream.cancel();
        assertThat(subscriber.scan(Scannable.Attr.CANCELLED)).isTrue();

        AtomicReference<Subscription> completedUpstream = new AtomicReference<>();
        Flux.just(1).transform(op).subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                completedUpstream.set(subscription);
                requestUnbounded();
            }
        });
        Scannable done = Scannable.from(completedUpstream.get());
        assertThat(done.scan(Scannable.Attr.TERMINATED)).isTrue();
        assertThat(done.scan(Scannable.Attr.CANCELLED)).isFalse();
    }

    @Test
    void fluxDemandCarriesOverAcrossAttempts() {
        AtomicInteger n = new AtomicInteger();
        List<Long> requestsPerAttempt = new CopyOnWriteArrayList<>();
        // Attempts 1 and 2 deliver up to three values and then fail; attempt 3 delivers ten and completes.
        Flux<Integer> source = Flux.defer(() -> {
            int k = n.incrementAndGet();
            Flux<Integer> values = k < 3
                    ? Flux.range(1, 3).concatWith(Flux.error(new IOException("attempt " + k)))
                    : Flux.range(1, 10);
            return values.doOnRequest(requestsPerAttempt::add);
        });
        StepVerifier.withVirtualTime(() -> source.transform(RetryOperator.of(fixed(3, Duration.ofMillis(10)).build())),
                        () -> vts, 5)
                .expectNext(1, 2, 3)
                .thenAwait(Duration.ofMillis(10))
                // the retry asks only for what downstream still wants: 2 of the 5
                .expectNext(1, 2)
                .expectNoEvent(Duration.ofSeconds(1))
                .thenRequest(4)
                .expectNext(3)
                .thenAwait(Duration.ofMillis(10))
                .expectNext(1, 2, 3)
                .expectNoEvent(Duration.ofSeconds(1))
                .thenRequest(Long.MAX_VALUE)
                .expectNext(4, 5, 6, 7, 8, 9, 10)
                .verifyComplete();
        assertThat(n).hasValue(3);
        assertThat(requestsPerAttempt).containsExactly(5L, 2L, 4L, 3L, Long.MAX_VALUE);
    }

    /** An error with a server's retry-after hint. */
    static final class RetryAfter extends IOException {
        private static final long serialVersionUID = 1L;
        final transient Duration after;

        RetryAfter(Duration after) {
            super("retry after " + after);
            this.after = after;
        }
    }

    /** Delegates to another scheduler and records the Disposable of every delayed task. */
    static final class RecordingScheduler implements Scheduler {
        private final Scheduler delegate;
        private final List<Disposable> timers;

        RecordingScheduler(Scheduler delegate, List<Disposable> timers) {
            this.delegate = delegate;
            this.timers = timers;
        }

        @Override
        public Disposable schedule(Runnable task) {
            return delegate.schedule(task);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            Disposable d = delegate.schedule(task, delay, unit);
            timers.add(d);
            return d;
        }

        @Override
        public Worker createWorker() {
            return delegate.createWorker();
        }
    }
}
