package dev.recloser.benchmarks;

import dev.recloser.core.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One open breaker per library, shared by all benchmark threads ({@link Scope#Benchmark}), for the
 * rejection-path benchmarks {@link RejectionBenchmark} and {@link RejectionLatencyBenchmark}.
 *
 * <p>{@code state=OPEN} trips each breaker the way an outage does, by recording failures until
 * it opens; the open wait is an hour, so every call in the run is rejected and a rejection has to
 * read the clock to know that. {@code state=FORCED_OPEN} uses the manual state, which rejects
 * without a clock read in Recloser and Resilience4j. Failsafe has no forced-open state: both of
 * its rows are its OPEN state.
 */
@State(Scope.Benchmark)
public class OpenBreakers {

    /** How the breakers were opened. */
    public enum OpenState {
        /** Tripped by failures, open wait not elapsed. */
        OPEN,
        /** Opened by hand. */
        FORCED_OPEN
    }

    private static final RuntimeException FAILURE = new RuntimeException("benchmark failure", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    /** Rejections per breaker in {@code @Setup}, so the counters and listeners are in their steady state. */
    private static final int WARM_REJECTIONS = 10_000;

    @Param({"OPEN", "FORCED_OPEN"})
    public OpenState state;

    /** Read by the baselines: a volatile read, like the state read that starts every rejection. */
    volatile long baselineValue = 42L;
    /** Incremented by {@link RejectionBenchmark#baselineLongAdder}: a rejection counter on its own. */
    final LongAdder rejectionCounter = new LongAdder();

    CircuitBreaker recloser;
    io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j;
    dev.failsafe.CircuitBreaker<Object> failsafe;

    @Setup(Level.Trial)
    public void setUp() {
        recloser = Peers.recloser(Window.COUNT);
        resilience4j = Peers.resilience4j(Window.COUNT, SlidingWindowSynchronizationStrategy.SYNCHRONIZED);
        failsafe = Peers.failsafe(Window.COUNT);
        if (state == OpenState.OPEN) {
            for (int i = 0; i < 2 * Peers.COUNT_WINDOW_SIZE && recloser.state() == CircuitBreaker.State.CLOSED; i++) {
                recloser.onError(recloser.tryAcquirePermit(), 0L, FAILURE);
            }
            for (int i = 0; i < 2 * Peers.COUNT_WINDOW_SIZE && resilience4j.getState()
                    == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED; i++) {
                resilience4j.acquirePermission();
                resilience4j.onError(0L, TimeUnit.NANOSECONDS, FAILURE);
            }
        } else {
            recloser.transitionToForcedOpen();
            resilience4j.transitionToForcedOpenState();
        }
        for (int i = 0; i < 2 * Peers.COUNT_WINDOW_SIZE && failsafe.isClosed(); i++) {
            failsafe.tryAcquirePermit();
            failsafe.recordFailure();
        }
        requireOpen();
        for (int i = 0; i < WARM_REJECTIONS; i++) {
            recloser.tryAcquirePermit();
            resilience4j.tryAcquirePermission();
            failsafe.tryAcquirePermit();
        }
        requireOpen();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        requireOpen();
    }

    /** A breaker that admitted a call would make the run measure something else than a rejection. */
    private void requireOpen() {
        CircuitBreaker.State recloserExpected = state == OpenState.OPEN
                ? CircuitBreaker.State.OPEN : CircuitBreaker.State.FORCED_OPEN;
        io.github.resilience4j.circuitbreaker.CircuitBreaker.State resilience4jExpected = state == OpenState.OPEN
                ? io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN
                : io.github.resilience4j.circuitbreaker.CircuitBreaker.State.FORCED_OPEN;
        if (recloser.state() != recloserExpected || resilience4j.getState() != resilience4jExpected
                || !failsafe.isOpen()) {
            throw new IllegalStateException("expected every breaker " + state + ": " + recloser + ", "
                    + resilience4j + ", failsafe " + failsafe.getState());
        }
    }
}
