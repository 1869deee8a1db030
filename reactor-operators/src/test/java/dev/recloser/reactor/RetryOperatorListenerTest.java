package dev.recloser.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recloser.testing.RaceSupport;
import dev.recloser.core.retry.Backoff;
import dev.recloser.core.retry.RetryBudget;
import dev.recloser.core.retry.RetryExhaustedException;
import dev.recloser.core.retry.RetryListener;
import dev.recloser.core.retry.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.util.RaceTestUtils;

/**
 * The {@link RetryListener} calls of {@link RetryOperator} on real retries, under virtual time:
 * which events, how many, in which order, at which (virtual) time.
 */
class RetryOperatorListenerTest {

    private static final Duration VERIFY = Duration.ofSeconds(5);
    private static final long DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * The virtual clock of the current verification. StepVerifier disposes it when it is done: a
     * test that verifies twice calls {@link #freshVirtualTime()} in between. Policies, budgets and
     * the recorder read this field at each use, so they follow.
     */
    private VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    private final Recorder recorder = new Recorder();

    @AfterEach
    void resetVirtualTime() {
        VirtualTimeScheduler.reset();
    }

    private void freshVirtualTime() {
        vts = VirtualTimeScheduler.create();
        recorder.events.clear();
    }

    /** {@code maxAttempts} attempts 100 ms apart, on a clock that reads the virtual scheduler. */
    private RetryPolicy.Builder policy(int maxAttempts) {
        return RetryPolicy.builder().maxAttempts(maxAttempts).backoff(Backoff.fixed(Duration.ofMillis(100)))
                .clock(() -> vts.now(TimeUnit.NANOSECONDS));
    }

    private <T> RetryOperator<T> retry(RetryPolicy policy) {
        return RetryOperator.<T>of(policy).listener(recorder);
    }

    /** A Mono failing with IOException("attempt N") for its first {@code failures} attempts, then "ok". */
    private static Mono<String> failingThenOk(int failures, AtomicInteger subscriptions) {
        return Mono.defer(() -> {
            int n = subscriptions.incrementAndGet();
            return n <= failures ? Mono.error(new IOException("attempt " + n)) : Mono.just("ok");
        });
    }

    /** Records every event with the virtual time (ms) at which it arrived. */
    private final class Recorder implements RetryListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        private String at() {
            return "@" + vts.now(TimeUnit.MILLISECONDS);
        }

        @Override
        public void onCallFinished(boolean succeeded, int attempts) {
            events.add((succeeded ? "succeeded(" : "failed(") + attempts + ")" + at());
        }

        @Override
        public void onCallCancelled(int attempts) {
            events.add("cancelled(" + attempts + ")" + at());
        }

        @Override
        public void onRetryScheduled(int attempt, long delayNanos) {
            events.add("retry(" + attempt + ", " + TimeUnit.NANOSECONDS.toMillis(delayNanos) + "ms)" + at());
        }

        @Override
        public void onBudgetRejected() {
            events.add("budgetRejected" + at());
        }
    }

    // ---- outcomes ----

    @Test
    void successWithoutRetry() {
        AtomicInteger subscriptions = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> failingThenOk(0, subscriptions).transform(retry(policy(3).build())),
                        () -> vts, Long.MAX_VALUE)
                .expectNext("ok")
                .expectComplete()
                .verify(VERIFY);
        assertThat(recorder.events).containsExactly("succeeded(1)@0");
    }

    @Test
    void successAfterTwoRetries() {
        AtomicInteger subscriptions = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> failingThenOk(2, subscriptions).transform(retry(policy(3).build())),
                        () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(199))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("ok")
                .expectComplete()
                .verify(VERIFY);
        assertThat(subscriptions).hasValue(3);
        assertThat(recorder.events).containsExactly("retry(2, 100ms)@0", "retry(3, 100ms)@100", "succeeded(3)@200");
    }

    @Test
    void failureAfterExhaustion() {
        AtomicInteger subscriptions = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> failingThenOk(99, subscriptions).transform(retry(policy(3).build())),
                        () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofMillis(200))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RetryExhaustedException.class)
                        .extracting(x -> ((RetryExhaustedException) x).attempts()).isEqualTo(3))
                .verify(VERIFY);
        assertThat(recorder.events).containsExactly("retry(2, 100ms)@0", "retry(3, 100ms)@100", "failed(3)@200");
    }

    @Test
    void failureWithoutRetryOnANonRetryableError() {
        RetryPolicy policy = policy(3).retryOn(e -> e instanceof IOException).build();
        StepVerifier.withVirtualTime(() -> Mono.<String>error(new IllegalStateException("bad request"))
                                .transform(retry(policy)), () -> vts, Long.MAX_VALUE)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class))
                .verify(VERIFY);
        assertThat(recorder.events).containsExactly("failed(1)@0");
    }

    @Test
    void budgetRejectionEndsTheCallAfterTheRetriesItGranted() {
        // A floor of one retry per 1 s window and no ratio: the first retry is granted, the second refused.
        RetryBudget budget = RetryBudget.builder().ratio(0.0).minRetriesPerSecond(1).window(Duration.ofSeconds(1))
                .clock(() -> vts.now(TimeUnit.NANOSECONDS)).build();
        AtomicInteger subscriptions = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> failingThenOk(99, subscriptions)
                                .transform(RetryOperator.<String>of(policy(5).build()).budget(budget).listener(recorder)),
                        () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofMillis(100))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RetryExhaustedException.class)
                        .extracting(x -> ((RetryExhaustedException) x).attempts()).isEqualTo(2))
                .verify(VERIFY);
        assertThat(subscriptions).hasValue(2);
        assertThat(recorder.events).containsExactly("retry(2, 100ms)@0", "budgetRejected@100", "failed(2)@100");
    }

    @Test
    void budgetRejectingTheFirstRetry() {
        RetryBudget none = RetryBudget.builder().ratio(0.0).minRetriesPerSecond(0)
                .clock(() -> vts.now(TimeUnit.NANOSECONDS)).build();
        StepVerifier.withVirtualTime(() -> Mono.<String>error(new IOException("down"))
                                .transform(RetryOperator.<String>of(policy(3).build()).budget(none).listener(recorder)),
                        () -> vts, Long.MAX_VALUE)
                .expectError(RetryExhaustedException.class)
                .verify(VERIFY);
        assertThat(recorder.events).containsExactly("budgetRejected@0", "failed(1)@0");
    }

    @Test
    void fluxCompletionAfterARetry() {
        AtomicInteger subscriptions = new AtomicInteger();
        Flux<Integer> source = Flux.defer(() -> subscriptions.incrementAndGet() == 1
                ? Flux.error(new IOException()) : Flux.just(1, 2, 3));
        StepVerifier.withVirtualTime(() -> source.transform(retry(policy(3).build())), () -> vts, Long.MAX_VALUE)
                .thenAwait(Duration.ofMillis(100))
                .expectNext(1, 2, 3)
                .verifyComplete();
        assertThat(recorder.events).containsExactly("retry(2, 100ms)@0", "succeeded(2)@100");
    }

    @Test
    void retriedMonoValuesCountAsFailedAttempts() {
        AtomicInteger subscriptions = new AtomicInteger();
        RetryPolicy policy = policy(3).retryOnResult("busy"::equals).build();
        Mono<String> busyOnce = Mono.fromCallable(() -> subscriptions.incrementAndGet() == 1 ? "busy" : "ok");
        StepVerifier.withVirtualTime(() -> busyOnce.transform(retry(policy)), () -> vts, Long.MAX_VALUE)
                .thenAwait(Duration.ofMillis(100))
                .expectNext("ok")
                .verifyComplete();
        assertThat(recorder.events).containsExactly("retry(2, 100ms)@0", "succeeded(2)@100");

        freshVirtualTime();
        StepVerifier.withVirtualTime(() -> Mono.just("busy").transform(retry(policy)), () -> vts, Long.MAX_VALUE)
                .thenAwait(Duration.ofMillis(200))
                .expectError(RetryExhaustedException.class)
                .verify(VERIFY);
        assertThat(recorder.events).containsExactly("retry(2, 100ms)@0", "retry(3, 100ms)@100", "failed(3)@200");
    }

    @Test
    void attemptsKeepCountingAcrossResets() {
        // Each attempt delivers a value and then fails: with resetAttemptsOnNext every failure starts a
        // new sequence for the policy (so maxAttempts 2 never runs out), but the listener counts on.
        AtomicInteger subscriptions = new AtomicInteger();
        Flux<Integer> source = Flux.defer(() -> {
            int n = subscriptions.incrementAndGet();
            return n < 4 ? Flux.just(n).concatWith(Flux.error(new IOException())) : Flux.just(n);
        });
        StepVerifier.withVirtualTime(() -> source.transform(RetryOperator.<Integer>of(policy(2).build())
                                .resetAttemptsOnNext(true).listener(recorder)), () -> vts, Long.MAX_VALUE)
                .expectNext(1)
                .thenAwait(Duration.ofMillis(300))
                .expectNext(2, 3, 4)
                .verifyComplete();
        assertThat(recorder.events).containsExactly("retry(2, 100ms)@0", "retry(3, 100ms)@100", "retry(4, 100ms)@200",
                "succeeded(4)@300");
    }

    @Test
    void maxAttemptsOneIsStillReported() {
        StepVerifier.withVirtualTime(() -> Mono.<String>error(new IOException("down")).transform(retry(policy(1).build())),
                        () -> vts, Long.MAX_VALUE)
                .expectError(IOException.class)
                .verify(VERIFY);
        assertThat(recorder.events).containsExactly("failed(1)@0");
    }

    @Test
    void aThrowingSchedulerSupplierIsAFailureWithoutAttempts() {
        StepVerifier.create(Mono.just("x").transform(RetryOperator.<String>of(policy(3).build())
                        .scheduler(() -> { throw new IllegalStateException("no scheduler"); }).listener(recorder)))
                .expectErrorMessage("no scheduler")
                .verify(VERIFY);
        assertThat(recorder.events).containsExactly("failed(0)@0");
    }

    // ---- cancel ----

    @Test
    void cancelDuringThePendingRetryIsReportedAndNothingFollows() {
        AtomicInteger subscriptions = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> failingThenOk(99, subscriptions).transform(retry(policy(3).build())),
                        () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofMillis(150)) // second attempt failed at 100, third due at 200
                .then(() -> assertThat(subscriptions).hasValue(2))
                .thenCancel()
                .verify(VERIFY);
        vts.advanceTimeBy(Duration.ofSeconds(10)); // the disposed timer never fires
        assertThat(subscriptions).hasValue(2);
        assertThat(recorder.events).containsExactly("retry(2, 100ms)@0", "retry(3, 100ms)@100", "cancelled(2)@150");
    }

    @Test
    void cancelDuringAnAttemptIsReported() {
        StepVerifier.withVirtualTime(() -> Mono.<String>never().transform(retry(policy(3).build())),
                        () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(1))
                .thenCancel()
                .verify(VERIFY);
        assertThat(recorder.events).containsExactly("cancelled(1)@1000");
    }

    @Test
    void cancelBeforeTheFirstAttemptIsReportedWithNoAttempt() {
        AtomicInteger subscriptions = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> failingThenOk(0, subscriptions).transform(retry(policy(3).build())),
                        () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .thenCancel() // StepVerifier runs it inside onSubscribe, before the operator subscribes
                .verify(VERIFY);
        assertThat(subscriptions).hasValue(0);
        assertThat(recorder.events).containsExactly("cancelled(0)@0");
    }

    @Test
    void aFluxCutShortIsCancelledNotFinished() {
        StepVerifier.withVirtualTime(() -> Flux.range(1, 10).transform(retry(policy(3).build())).take(2),
                        () -> vts, Long.MAX_VALUE)
                .expectNext(1, 2)
                .verifyComplete();
        assertThat(recorder.events).containsExactly("cancelled(1)@0");
    }

    @Test
    void cancelAfterAMonoValueReportsNothingMore() {
        // A Mono's value is its result: the call succeeded, whatever downstream does next.
        StepVerifier.withVirtualTime(() -> Mono.just("ok").transform(retry(policy(3).build())),
                        () -> vts, Long.MAX_VALUE)
                .expectNext("ok")
                .thenCancel()
                .verify(VERIFY);
        assertThat(recorder.events).containsExactly("succeeded(1)@0");
    }

    @Test
    void cancelAfterCompletionReportsNothingMore() {
        BaseSubscriber<Integer> subscriber = new BaseSubscriber<>() { };
        Flux.just(1).transform(retry(policy(3).build())).subscribe(subscriber);
        subscriber.cancel();
        assertThat(recorder.events).containsExactly("succeeded(1)@0");
    }

    @Test
    void cancelRacingTheEndIsReportedExactlyOnce() {
        int iterations = Math.max(100, RaceSupport.iterations() / 2);
        for (int i = 0; i < iterations; i++) {
            Recorder r = new Recorder();
            Sinks.One<String> sink = Sinks.one();
            Quiet subscriber = new Quiet();
            // A non-retryable error on odd iterations: the end is an error then, not a value.
            RetryPolicy policy = policy(3).retryOn(e -> e instanceof IOException).build();
            sink.asMono().transform(RetryOperator.<String>of(policy).listener(r)).subscribe(subscriber);
            boolean error = i % 2 == 1;
            RaceTestUtils.race(subscriber::cancel,
                    () -> {
                        if (error) {
                            sink.tryEmitError(new IllegalStateException("bad"));
                        } else {
                            sink.tryEmitValue("ok");
                        }
                    });
            subscriber.cancel(); // a second cancel changes nothing
            assertThat(r.events).as("iteration %d", i).hasSize(1);
            assertThat(r.events.get(0)).isIn(error ? "failed(1)@0" : "succeeded(1)@0", "cancelled(1)@0");
        }
    }

    /** Requests everything and ignores every signal (an error after its cancel is not "dropped"). */
    private static final class Quiet implements CoreSubscriber<String> {
        private volatile Subscription s;

        @Override
        public void onSubscribe(Subscription s) {
            this.s = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String value) {
        }

        @Override
        public void onError(Throwable error) {
        }

        @Override
        public void onComplete() {
        }

        void cancel() {
            s.cancel();
        }
    }

    // ---- a listener that throws ----

    @Test
    void aThrowingListenerBreaksNothing() {
        List<String> seen = new CopyOnWriteArrayList<>();
        RetryListener throwing = new RetryListener() {
            @Override
            public void onCallFinished(boolean succeeded, int attempts) {
                seen.add("finished(" + succeeded + ", " + attempts + ")");
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onCallCancelled(int attempts) {
                seen.add("cancelled(" + attempts + ")");
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onRetryScheduled(int attempt, long delayNanos) {
                seen.add("retry(" + attempt + ")");
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onBudgetRejected() {
                seen.add("budgetRejected");
                throw new IllegalStateException("listener bug");
            }
        };
        AtomicInteger subscriptions = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> failingThenOk(2, subscriptions)
                                .transform(RetryOperator.<String>of(policy(3).build()).listener(throwing)),
                        () -> vts, Long.MAX_VALUE)
                .thenAwait(Duration.ofMillis(200))
                .expectNext("ok")
                .expectComplete()
                .verify(VERIFY);
        assertThat(seen).containsExactly("retry(2)", "retry(3)", "finished(true, 3)");

        seen.clear();
        freshVirtualTime();
        RetryBudget none = RetryBudget.builder().ratio(0.0).minRetriesPerSecond(0)
                .clock(() -> vts.now(TimeUnit.NANOSECONDS)).build();
        StepVerifier.withVirtualTime(() -> Mono.<String>error(new IOException("down"))
                                .transform(RetryOperator.<String>of(policy(3).build()).budget(none).listener(throwing)),
                        () -> vts, Long.MAX_VALUE)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RetryExhaustedException.class)
                        .hasCauseInstanceOf(IOException.class))
                .verify(VERIFY);
        assertThat(seen).containsExactly("budgetRejected", "finished(false, 1)");

        seen.clear();
        freshVirtualTime();
        StepVerifier.withVirtualTime(() -> Mono.<String>never()
                                .transform(RetryOperator.<String>of(policy(3).build()).listener(throwing)),
                        () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .thenCancel() // from inside onSubscribe: before the first attempt
                .verify(VERIFY);
        assertThat(seen).containsExactly("cancelled(0)");
    }

    // ---- the wither ----

    @Test
    void theListenerIsACopyOnWriteOptionDefaultingToNone() {
        RetryOperator<String> plain = RetryOperator.of(policy(3).build());
        RetryOperator<String> listened = plain.listener(recorder);
        assertThat(plain.listener()).isSameAs(RetryListener.NONE);
        assertThat(listened).isNotSameAs(plain);
        assertThat(listened.listener()).isSameAs(recorder);
        assertThat(listened.budget(RetryBudget.of(0.2, 1)).scheduler(() -> vts).resetAttemptsOnNext(true).noBudget()
                .listener()).isSameAs(recorder);
        assertThat(listened.listener(RetryListener.NONE).listener()).isSameAs(RetryListener.NONE);
        assertThat(listened.toString()).contains("listener=");
        assertThatThrownBy(() -> plain.listener(null)).isInstanceOf(NullPointerException.class);

        // Without a listener nothing is reported, and NONE's methods do nothing.
        StepVerifier.create(Mono.just("ok").transform(plain)).expectNext("ok").verifyComplete();
        RetryListener.NONE.onCallFinished(true, 1);
        RetryListener.NONE.onCallCancelled(1);
        RetryListener.NONE.onRetryScheduled(2, 1L);
        RetryListener.NONE.onBudgetRejected();
        assertThat(recorder.events).isEmpty();
    }
}
