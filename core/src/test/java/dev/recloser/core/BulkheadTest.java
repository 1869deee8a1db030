package dev.recloser.core;

import dev.recloser.testing.RaceSupport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recloser.core.retry.Allocations;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BulkheadTest {

    private static final int THREADS = 4;

    @Test
    void startsWithAllPermitsFree() {
        Bulkhead bulkhead = Bulkhead.of("inventory", 3);
        assertThat(bulkhead.name()).isEqualTo("inventory");
        assertThat(bulkhead.maxConcurrentCalls()).isEqualTo(3);
        assertThat(bulkhead.availablePermits()).isEqualTo(3);
        assertThat(bulkhead.rejectedCalls()).isZero();
        assertThat(bulkhead.toString()).contains("inventory", "maxConcurrentCalls=3", "availablePermits=3");
    }

    @Test
    void limitsRejectsAndReleases() {
        Bulkhead bulkhead = Bulkhead.of("inventory", 2);
        assertThat(bulkhead.tryAcquire()).isTrue();
        assertThat(bulkhead.tryAcquire()).isTrue();
        assertThat(bulkhead.availablePermits()).isZero();
        assertThat(bulkhead.tryAcquire()).isFalse();
        assertThat(bulkhead.tryAcquire()).isFalse();
        assertThat(bulkhead.rejectedCalls()).isEqualTo(2);
        assertThat(bulkhead.availablePermits()).isZero();

        bulkhead.release();
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
        assertThat(bulkhead.tryAcquire()).isTrue();
        assertThat(bulkhead.tryAcquire()).isFalse();
        assertThat(bulkhead.rejectedCalls()).isEqualTo(3);

        bulkhead.release();
        bulkhead.release();
        assertThat(bulkhead.availablePermits()).isEqualTo(2);
    }

    @Test
    void aReleaseWithoutAcquireIsRejectedAndChangesNothing() {
        Bulkhead bulkhead = Bulkhead.of("inventory", 2);
        assertThatThrownBy(bulkhead::release)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inventory")
                .hasMessageContaining("released more permits than were acquired");
        assertThat(bulkhead.availablePermits()).isEqualTo(2);

        assertThat(bulkhead.tryAcquire()).isTrue();
        bulkhead.release();
        assertThatThrownBy(bulkhead::release).isInstanceOf(IllegalStateException.class);
        assertThat(bulkhead.availablePermits()).isEqualTo(2);
    }

    @Test
    void fullExceptionIsStacklessAndNamesTheBulkhead() {
        Bulkhead bulkhead = Bulkhead.of("inventory", 8);
        BulkheadFullException e = bulkhead.fullException();
        assertThat(e.bulkheadName()).isEqualTo("inventory");
        assertThat(e.maxConcurrentCalls()).isEqualTo(8);
        assertThat(e.getMessage()).isEqualTo("Bulkhead 'inventory' is full: 8 concurrent calls");
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getCause()).isNull();
        e.addSuppressed(new RuntimeException("ignored"));
        assertThat(e.getSuppressed()).isEmpty();
        assertThat(bulkhead.fullException()).isNotSameAs(e);
        assertThatThrownBy(() -> new BulkheadFullException(null, 1))
                .isInstanceOf(NullPointerException.class).hasMessage("bulkheadName");
    }

    static Stream<Arguments> invalidArguments() {
        return Stream.of(
                Arguments.of(IllegalArgumentException.class, "maxConcurrentCalls must be >= 1, was 0",
                        (ThrowingCallable) () -> Bulkhead.of("x", 0)),
                Arguments.of(IllegalArgumentException.class, "maxConcurrentCalls must be >= 1, was -5",
                        (ThrowingCallable) () -> Bulkhead.of("x", -5)),
                Arguments.of(IllegalArgumentException.class, "maxConcurrentCalls must be >= 1, was -2147483648",
                        (ThrowingCallable) () -> Bulkhead.of("x", Integer.MIN_VALUE)),
                Arguments.of(IllegalArgumentException.class, "name must not be blank, was ''",
                        (ThrowingCallable) () -> Bulkhead.of("", 1)),
                Arguments.of(IllegalArgumentException.class, "name must not be blank, was ' '",
                        (ThrowingCallable) () -> Bulkhead.of(" ", 1)),
                Arguments.of(NullPointerException.class, "name", (ThrowingCallable) () -> Bulkhead.of(null, 1)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidArguments")
    void invalidArgumentsAreRejected(Class<? extends Throwable> type, String message, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(type).hasMessage(message);
    }

    @Test
    void acquireReleaseAndRejectDoNotAllocate() {
        Bulkhead bulkhead = Bulkhead.of("inventory", 1);
        long allocated = Allocations.measure(() -> cycle(bulkhead, 100_000));
        assertThat(bulkhead.rejectedCalls()).isEqualTo(200_000);
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
        assertThat(allocated).as("bytes allocated by 100,000 acquire/reject/release cycles").isLessThan(16 * 1024);
    }

    private static int cycle(Bulkhead bulkhead, int times) {
        int acquired = 0;
        for (int i = 0; i < times; i++) {
            if (bulkhead.tryAcquire()) {
                acquired++;
            }
            if (bulkhead.tryAcquire()) {
                throw new AssertionError("a second permit");
            }
            bulkhead.release();
        }
        return acquired;
    }

    @Test
    void racingCallsNeverExceedTheLimitAndAllPermitsReturn() throws Exception {
        int max = 3;
        int perThread = RaceSupport.iterations() * 10;
        Bulkhead bulkhead = Bulkhead.of("inventory", max);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger highWater = new AtomicInteger();
        AtomicLong acquired = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicInteger violations = new AtomicInteger();

        race(() -> {
            for (int i = 0; i < perThread; i++) {
                if (bulkhead.tryAcquire()) {
                    acquired.incrementAndGet();
                    int now = inFlight.incrementAndGet();
                    highWater.accumulateAndGet(now, Math::max);
                    if (now > max) {
                        violations.incrementAndGet();
                    }
                    if ((i & 7) == 0) {
                        Thread.yield(); // hold the permit a little longer now and then
                    }
                    inFlight.decrementAndGet();
                    bulkhead.release();
                } else {
                    rejected.incrementAndGet();
                }
            }
        });

        assertThat(violations.get()).isZero();
        assertThat(highWater.get()).isBetween(1, max);
        assertThat(inFlight.get()).isZero();
        assertThat(bulkhead.availablePermits()).isEqualTo(max);
        assertThat(acquired.get() + rejected.get()).isEqualTo((long) THREADS * perThread);
        assertThat(bulkhead.rejectedCalls()).isEqualTo(rejected.get());
    }

    @Test
    void racingReleasesOfHeldPermitsAllReturn() throws Exception {
        int rounds = RaceSupport.iterations();
        int max = 16;
        Bulkhead bulkhead = Bulkhead.of("inventory", max);
        for (int round = 0; round < rounds / 10; round++) {
            for (int i = 0; i < max; i++) {
                assertThat(bulkhead.tryAcquire()).isTrue();
            }
            // Each thread releases a quarter of the permits acquired on the test thread.
            race(() -> {
                for (int i = 0; i < max / THREADS; i++) {
                    bulkhead.release();
                }
            });
            assertThat(bulkhead.availablePermits()).as("round %d", round).isEqualTo(max);
        }
    }

    /** Runs {@code body} on 4 threads released together, and waits for them. */
    private static void race(Runnable body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch ready = new CountDownLatch(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    body.run();
                    return null;
                }));
            }
            ready.await();
            go.countDown();
            for (Future<?> f : futures) {
                // A generous bound only so that a deadlock fails the build instead of hanging it.
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
