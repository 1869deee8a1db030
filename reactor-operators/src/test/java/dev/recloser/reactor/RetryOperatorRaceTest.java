package dev.recloser.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.testing.RaceSupport;
import dev.recloser.core.retry.Backoff;
import dev.recloser.core.retry.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.util.RaceTestUtils;

/**
 * Races of {@link RetryOperator}'s subscriber: cancel against a retry timer that fires, and
 * downstream demand against a re-subscription. Iterations scale with
 * {@code -Drecloser.race.iterations}.
 */
class RetryOperatorRaceTest {

    private static final int ITERATIONS = Math.max(50, RaceSupport.iterations() / 4);

    private static RetryPolicy fixed(Duration delay) {
        return RetryPolicy.builder().maxAttempts(Integer.MAX_VALUE).backoff(Backoff.fixed(delay)).build();
    }

    /**
     * Cancel against the timer firing on another thread (the racing thread advances virtual time,
     * so the timer runs exactly there). Even iterations: the retried attempt never ends, so if it
     * got subscribed, cancel must cancel it. Odd iterations: every attempt fails, so a firing timer
     * schedules the next one concurrently with cancel, and that one must not survive.
     */
    @Test
    void cancelRacingAFiringTimerLeavesNothingBehind() {
        for (int i = 0; i < ITERATIONS; i++) {
            VirtualTimeScheduler vts = VirtualTimeScheduler.create();
            AtomicInteger timerRuns = new AtomicInteger();
            Scheduler counting = new CountingScheduler(vts, timerRuns);
            AtomicInteger subscriptions = new AtomicInteger();
            AtomicInteger cancels = new AtomicInteger();
            boolean retriedAttemptHangs = i % 2 == 0;
            Mono<String> source = Mono.defer(() -> {
                int k = subscriptions.incrementAndGet();
                if (k > 1 && retriedAttemptHangs) {
                    return Mono.<String>never().doOnCancel(cancels::incrementAndGet);
                }
                return Mono.error(new IOException("attempt " + k));
            });
            Recorder downstream = new Recorder();
            source.transform(RetryOperator.<String>of(fixed(Duration.ofSeconds(1))).scheduler(() -> counting))
                    .subscribe(downstream);
            assertThat(subscriptions).hasValue(1);

            RaceTestUtils.race(downstream::cancel, () -> vts.advanceTimeBy(Duration.ofSeconds(1)));

            int subscribed = subscriptions.get();
            int ran = timerRuns.get();
            assertThat(subscribed).isBetween(1, 2);
            assertThat(ran).isBetween(0, 1);
            if (retriedAttemptHangs) {
                // The attempt the timer started, if any, was cancelled; none was left running.
                assertThat(cancels.get()).isEqualTo(subscribed - 1);
            }
            // Drain everything still scheduled: no live timer, no further subscription.
            vts.advanceTimeBy(Duration.ofHours(1));
            assertThat(timerRuns).hasValue(ran);
            assertThat(subscriptions).hasValue(subscribed);
            assertThat(downstream.signals).isEmpty();
            vts.dispose();
        }
    }

    /**
     * Cancel against a retry loop on a real single-threaded scheduler with 1 µs waits. After cancel
     * returns, at most the one re-subscription already under way may reach the source (and it is
     * cancelled); once the scheduler has drained, nothing runs any more. Drained is decided by
     * ordering on the one scheduler thread, not by elapsed time: a marker task queued after cancel
     * runs after any task in progress, and a second marker with a longer delay than the retry
     * delay runs after any timer scheduled before it.
     */
    @Test
    void cancelRacingARetryLoopOnARealScheduler() throws InterruptedException {
        Scheduler single = Schedulers.newSingle("retry-race");
        try {
            for (int i = 0; i < ITERATIONS; i++) {
                AtomicInteger timerRuns = new AtomicInteger();
                Scheduler counting = new CountingScheduler(single, timerRuns);
                AtomicInteger subscriptions = new AtomicInteger();
                AtomicInteger cancels = new AtomicInteger();
                // Attempts 1 and 2 fail; attempt 3 hangs until cancelled.
                Mono<String> source = Mono.defer(() -> {
                    int k = subscriptions.incrementAndGet();
                    return k < 3 ? Mono.error(new IOException("attempt " + k))
                            : Mono.<String>never().doOnCancel(cancels::incrementAndGet);
                });
                Recorder downstream = new Recorder();
                source.transform(RetryOperator.<String>of(fixed(Duration.ofNanos(1000))).scheduler(() -> counting))
                        .subscribe(downstream);
                // Vary where the cancel lands relative to the timers.
                for (int spin = (i % 32) * 50; spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                downstream.cancel();
                int atCancel = subscriptions.get();

                await(single, 0L);
                int subscribed = subscriptions.get();
                int ran = timerRuns.get();
                assertThat(subscribed - atCancel).isBetween(0, 1);
                assertThat(cancels.get()).isEqualTo(subscribed >= 3 ? 1 : 0);

                await(single, TimeUnit.MILLISECONDS.toNanos(1));
                assertThat(timerRuns).hasValue(ran);
                assertThat(subscriptions).hasValue(subscribed);
                assertThat(downstream.signals).isEmpty();
            }
        } finally {
            single.dispose();
        }
    }

    /**
     * Downstream demand racing the re-subscription: the arbiter must hand the next attempt exactly
     * what is outstanding, never more (which would let the source deliver more than was requested)
     * and never less (which would stall the stream).
     */
    @Test
    void requestRacingAResubscriptionKeepsExactDemand() {
        for (int i = 0; i < ITERATIONS; i++) {
            VirtualTimeScheduler vts = VirtualTimeScheduler.create();
            AtomicInteger attempts = new AtomicInteger();
            AtomicLong requestedFromSecondAttempt = new AtomicLong();
            // Attempt 1 delivers two values and fails; attempt 2 has plenty.
            Flux<Integer> source = Flux.defer(() -> attempts.incrementAndGet() == 1
                    ? Flux.just(1, 2).concatWith(Flux.error(new IOException()))
                    : Flux.range(10, 100).doOnRequest(requestedFromSecondAttempt::addAndGet));
            List<Integer> received = new CopyOnWriteArrayList<>();
            AtomicLong requested = new AtomicLong(2);
            AtomicReference<Throwable> overflow = new AtomicReference<>();
            BaseSubscriber<Integer> downstream = new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(Subscription subscription) {
                    request(2);
                }

                @Override
                protected void hookOnNext(Integer value) {
                    received.add(value);
                    if (received.size() > requested.get()) {
                        overflow.compareAndSet(null, new AssertionError("more values than requested: " + received));
                    }
                }
            };
            source.transform(RetryOperator.<Integer>of(fixed(Duration.ofSeconds(1))).scheduler(() -> vts))
                    .subscribe(downstream);
            assertThat(received).containsExactly(1, 2);

            RaceTestUtils.race(() -> {
                requested.addAndGet(3);
                downstream.request(3);
            }, () -> vts.advanceTimeBy(Duration.ofSeconds(1)));

            assertThat(overflow.get()).isNull();
            assertThat(received).containsExactly(1, 2, 10, 11, 12);
            assertThat(requestedFromSecondAttempt).hasValue(3);
            downstream.dispose();
            vts.dispose();
        }
    }

    /** Waits until {@code scheduler} has run a marker task queued now with {@code delayNanos}. */
    private static void await(Scheduler scheduler, long delayNanos) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        scheduler.schedule(latch::countDown, delayNanos, TimeUnit.NANOSECONDS);
        assertThat(latch.await(10, TimeUnit.SECONDS)).as("scheduler drained").isTrue();
    }

    /** Records every signal after onSubscribe; requests everything. */
    static final class Recorder extends BaseSubscriber<String> {
        final List<Object> signals = new CopyOnWriteArrayList<>();

        @Override
        protected void hookOnNext(String value) {
            signals.add(value);
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            signals.add(throwable);
        }

        @Override
        protected void hookOnComplete() {
            signals.add(SignalType.ON_COMPLETE);
        }
    }

    /** Delegates to another scheduler and counts the delayed tasks that actually run. */
    static final class CountingScheduler implements Scheduler {
        private final Scheduler delegate;
        private final AtomicInteger runs;

        CountingScheduler(Scheduler delegate, AtomicInteger runs) {
            this.delegate = delegate;
            this.runs = runs;
        }

        @Override
        public Disposable schedule(Runnable task) {
            return delegate.schedule(task);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            return delegate.schedule(() -> {
                runs.incrementAndGet();
                task.run();
            }, delay, unit);
        }

        @Override
        public Worker createWorker() {
            return delegate.createWorker();
        }
    }
}
