package dev.recloser.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.testing.RaceSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.test.util.RaceTestUtils;

/**
 * {@link RetryArbiter} under a race between a new attempt's subscription arriving ({@code set})
 * and downstream's cancel. Defect (issue 10): {@code set} checked cancellation before taking its
 * work-in-progress token, so a cancel whose drain ran whole in that gap found nothing to cancel, and
 * the new attempt was installed, given the outstanding demand and never cancelled: through
 * {@link RetryOperator} it kept its breaker permit and its values reached the cancelled
 * subscriber. The arbiter here widens that gap: its first {@code isCancelled()}, after reading the
 * flag, waits (yielding, bounded) until a racing cancel has returned, as a thread preempted there
 * would; it still answers what it read.
 * Iterations: {@code -Drecloser.race.iterations} (default 2000).
 */
class RetryArbiterRaceTest {

    private final int iterations = RaceSupport.iterations();

    @Test
    void aSubscriptionSetWhileDownstreamCancelsIsAlwaysCancelled() {
        int leaked = 0;
        for (int i = 0; i < iterations; i++) {
            SlowCheckArbiter arbiter = new SlowCheckArbiter();
            arbiter.request(5);
            RecordingSubscription attempt = new RecordingSubscription();

            RaceTestUtils.race(() -> {
                arbiter.slowFirstCheckOn(Thread.currentThread());
                arbiter.set(attempt);
            }, arbiter::cancel);

            if (!attempt.cancelled.get()) {
                leaked++;
            }
            // Whatever the interleaving, the attempt got at most the outstanding demand.
            assertThat(attempt.requested.get()).isBetween(0L, 5L);
        }
        assertThat(leaked).as("iterations of %d whose attempt stayed subscribed after the cancel", iterations)
                .isZero();
    }

    @Test
    void aSubscriptionSetAfterTheCancelIsCancelledAndNotRequested() {
        SlowCheckArbiter arbiter = new SlowCheckArbiter();
        arbiter.request(5);
        arbiter.cancel();
        RecordingSubscription attempt = new RecordingSubscription();
        arbiter.set(attempt);
        assertThat(attempt.cancelled).isTrue();
        assertThat(attempt.requested).hasValue(0L);
    }

    /** An arbiter whose cancel is a flag, as RetrySubscriber's; the first check is slow. */
    static final class SlowCheckArbiter extends RetryArbiter {
        private volatile boolean cancelled;
        private volatile boolean cancelReturned;
        private volatile Thread slowThread;

        /** Makes the first check that {@code thread} makes slow (the set() under test). */
        void slowFirstCheckOn(Thread thread) {
            slowThread = thread;
        }

        @Override
        boolean isCancelled() {
            boolean c = cancelled;
            if (slowThread == Thread.currentThread()) {
                slowThread = null;
                // Yield rather than spin: on a loaded machine the cancelling thread needs the core.
                for (int spin = 0; !cancelReturned && spin < 100_000; spin++) {
                    Thread.yield();
                }
            }
            return c;
        }

        @Override
        public void cancel() {
            cancelled = true;
            cancelUpstream();
            cancelReturned = true;
        }
    }

    static final class RecordingSubscription implements Subscription {
        final AtomicLong requested = new AtomicLong();
        final AtomicBoolean cancelled = new AtomicBoolean();

        @Override
        public void request(long n) {
            requested.addAndGet(n);
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }
    }
}
