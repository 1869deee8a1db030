package dev.recloser.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.testing.RaceSupport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.util.RaceTestUtils;

/**
 * Races of {@link TimeoutOperator}'s subscriber against the threads around it: the first element
 * of a per-element timeout arriving on another thread while the first timer is armed, a timeout
 * racing the subscriber's cancel, and a timeout firing while a slow {@code onNext} runs whose
 * subscriber cancels inside it. The timers run on a {@link VirtualTimeScheduler} advanced by a
 * racing thread, so a timer fires exactly there. Iterations: {@code -Drecloser.race.iterations}
 * (default 2000).
 */
class TimeoutOperatorRaceTest {

    private final int iterations = RaceSupport.iterations();
    private final List<Throwable> dropped = new CopyOnWriteArrayList<>();

    @BeforeEach
    void recordDroppedErrors() {
        Hooks.onErrorDropped(dropped::add);
    }

    @AfterEach
    void resetHooks() {
        Hooks.resetOnErrorDropped();
    }

    /**
     * Defect: the element arrives (on the racing thread, right after the subscriber's request)
     * between {@code actual.onSubscribe(...)} returning and the first timer being installed; the
     * stale first timer then replaced the one armed for that element and the stream, stalled after
     * it, never timed out. The first {@code schedule} call is slowed down a little to widen that
     * window, as a preempted thread would.
     */
    @Test
    void theFirstElementOnAnotherThreadNeverLosesThePerElementTimer() {
        int lost = 0;
        for (int i = 0; i < iterations; i++) {
            VirtualTimeScheduler vts = VirtualTimeScheduler.create();
            Scheduler slowFirst = new SlowFirstSchedule(vts);
            AtomicReference<Subscriber<? super Integer>> upstream = new AtomicReference<>();
            AtomicBoolean requested = new AtomicBoolean();
            AtomicBoolean upstreamCancelled = new AtomicBoolean();
            // Emits nothing by itself: the racing thread plays the source's other thread, and the
            // source then stalls (as Mono.just(1).publishOn(parallel) followed by Flux.never()).
            Flux<Integer> source = Flux.from(s -> {
                upstream.set(s);
                s.onSubscribe(new Subscription() {
                    @Override
                    public void request(long n) {
                        requested.set(true);
                    }

                    @Override
                    public void cancel() {
                        upstreamCancelled.set(true);
                    }
                });
            });
            Recorder downstream = new Recorder(Long.MAX_VALUE);
            Flux<Integer> guarded = source.transform(TimeoutOperator.<Integer>perElement(Duration.ofSeconds(1))
                    .scheduler(() -> slowFirst));

            RaceTestUtils.race(() -> guarded.subscribe(downstream), () -> {
                while (!requested.get()) {
                    Thread.onSpinWait(); // the source's thread emits as soon as there is demand
                }
                upstream.get().onNext(1);
            });

            assertThat(downstream.signals).containsExactly("next 1");
            vts.advanceTimeBy(Duration.ofSeconds(1));
            if (downstream.signals.equals(List.of("next 1", "error AttemptTimeoutException"))) {
                assertThat(upstreamCancelled).isTrue();
            } else {
                lost++;
                assertThat(downstream.signals).containsExactly("next 1"); // nothing else may come instead
            }
            vts.dispose();
        }
        assertThat(lost).as("iterations of %d whose stalled stream never timed out", iterations).isZero();
    }

    /**
     * Defect: a timer that fires while an element is being delivered leaves the timeout to the
     * {@code onNext} thread; when the subscriber cancelled meanwhile (from another thread) that
     * thread still delivered the timeout, after the cancel had returned. Here the timer and the
     * cancel race on two threads while the subscriber is inside {@code onNext}: whichever wins,
     * nothing may reach the subscriber after its cancel.
     */
    @Test
    void aTimeoutRacingTheSubscribersCancelNeverSignalsAfterTheCancel() {
        int signalledAfterCancel = 0;
        for (int i = 0; i < iterations; i++) {
            VirtualTimeScheduler vts = VirtualTimeScheduler.create();
            Sinks.Many<Integer> sink = Sinks.many().unicast().onBackpressureBuffer();
            AtomicBoolean cancelReturned = new AtomicBoolean();
            Recorder downstream = new Recorder(Long.MAX_VALUE) {
                @Override
                public void onNext(Integer value) {
                    super.onNext(value);
                    RaceTestUtils.race(() -> vts.advanceTimeBy(Duration.ofSeconds(1)), this::cancel);
                    cancelReturned.set(true);
                }

                @Override
                void record(String signal) {
                    if (cancelReturned.get()) {
                        super.record("after cancel: " + signal);
                    } else {
                        super.record(signal);
                    }
                }
            };
            sink.asFlux().transform(TimeoutOperator.<Integer>of(Duration.ofSeconds(1)).scheduler(() -> vts))
                    .subscribe(downstream);

            sink.tryEmitNext(1);

            vts.advanceTimeBy(Duration.ofHours(1));
            if (!downstream.signals.equals(List.of("next 1"))) {
                signalledAfterCancel++;
                assertThat(downstream.signals).containsExactly("next 1", "after cancel: error AttemptTimeoutException");
            }
            assertThat(sink.currentSubscriberCount()).as("upstream cancelled").isZero();
            vts.dispose();
        }
        assertThat(signalledAfterCancel).as("iterations of %d that signalled after the cancel", iterations).isZero();
        assertThat(dropped).isEmpty();
    }

    /**
     * Defect: a timeout that fires while a slow {@code onNext} runs, whose subscriber cancels
     * inside that {@code onNext} ({@code take(1)}), was still delivered afterwards, and landed in
     * {@code onErrorDropped}. The value and the timer race on two threads: the outcome is either
     * the value (and take's completion) or the timeout, never both, and nothing is dropped.
     */
    @Test
    void aTimeoutDuringASlowOnNextThatCancelsIsNotDeliveredAfterwards() {
        int timeoutsByValue = 0;
        for (int i = 0; i < iterations; i++) {
            VirtualTimeScheduler vts = VirtualTimeScheduler.create();
            Sinks.Many<Integer> sink = Sinks.many().unicast().onBackpressureBuffer();
            AtomicBoolean advanced = new AtomicBoolean();
            Recorder downstream = new Recorder(Long.MAX_VALUE) {
                @Override
                public void onNext(Integer value) {
                    super.onNext(value);
                    // A slow onNext: it lasts until the racing thread has advanced the time (or a
                    // bounded spin ran out), so that a value that arrives first meets the timer.
                    for (int spin = 0; !advanced.get() && spin < 100_000; spin++) {
                        Thread.yield(); // not a spin: on a loaded machine the racing thread needs the core
                    }
                }
            };
            sink.asFlux().transform(TimeoutOperator.<Integer>of(Duration.ofSeconds(1)).scheduler(() -> vts))
                    .take(1)
                    .subscribe(downstream);

            RaceTestUtils.race(() -> sink.tryEmitNext(1), () -> {
                vts.advanceTimeBy(Duration.ofSeconds(1));
                advanced.set(true);
            });

            String outcome = String.join(",", downstream.signals);
            assertThat(outcome).as("iteration %d", i).isIn("next 1,complete", "error AttemptTimeoutException");
            if (outcome.equals("error AttemptTimeoutException")) {
                timeoutsByValue++;
            }
            vts.dispose();
        }
        assertThat(dropped.size()).as("timeouts delivered after the value and dropped by take(1), in %d races "
                + "(%d of which timed out before the value)", iterations, timeoutsByValue).isZero();
    }

    /** Records every signal as text; requests {@code demand} on subscribe; cancel is thread-safe. */
    static class Recorder implements CoreSubscriber<Integer> {
        final List<String> signals = new CopyOnWriteArrayList<>();
        private final long demand;
        private final AtomicReference<Subscription> subscription = new AtomicReference<>();

        Recorder(long demand) {
            this.demand = demand;
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription.set(s);
            s.request(demand);
        }

        @Override
        public void onNext(Integer value) {
            record("next " + value);
        }

        @Override
        public void onError(Throwable t) {
            record("error " + t.getClass().getSimpleName());
        }

        @Override
        public void onComplete() {
            record("complete");
        }

        void record(String signal) {
            signals.add(signal);
        }

        void cancel() {
            subscription.get().cancel();
        }
    }

    /**
     * Delegates to another scheduler; its first delayed {@code schedule} spins briefly first, as a
     * thread preempted there would.
     */
    static final class SlowFirstSchedule implements Scheduler {
        private final Scheduler delegate;
        private final AtomicInteger delayedCalls = new AtomicInteger();

        SlowFirstSchedule(Scheduler delegate) {
            this.delegate = delegate;
        }

        @Override
        public Disposable schedule(Runnable task) {
            return delegate.schedule(task);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            if (delayedCalls.getAndIncrement() == 0) {
                for (int spin = 0; spin < 1_000; spin++) {
                    Thread.onSpinWait();
                }
            }
            return delegate.schedule(task, delay, unit);
        }

        @Override
        public Worker createWorker() {
            return delegate.createWorker();
        }
    }
}
