package dev.recloser.core.fleet;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerListener;
import dev.recloser.core.ListenerRegistration;
import dev.recloser.core.StateTransition;
import java.time.Duration;
import java.util.Objects;

/**
 * The store-neutral fleet SPI: how a fleet implementation (for example {@code recloser-redis})
 * drives a breaker by a remote verdict, and hears of the breaker's own transitions through
 * {@link #addTransitionListener} (it publishes those whose {@link StateTransition#reason()} is not
 * {@link StateTransition.Reason#FLEET}: those are verdicts it applied itself).
 *
 * <p><b>Cost.</b> Nothing here touches the call path: these methods are called by the fleet's own
 * threads when a verdict arrives, and the CLOSED permit stays one volatile read. Each method is one
 * compare-and-set loop on the breaker's state snapshot, like a manual transition.
 *
 * <p><b>Precedence.</b> Manual states win: a breaker in {@code FORCED_OPEN} or {@code DISABLED}
 * ignores every fleet verdict (the methods return {@code false}). A fleet open does not count as a
 * trip for the open-state backoff: the grown wait of a fleet comes from its prober's verdict.
 *
 * <p><b>Thread-safety.</b> Every method may be called from any thread, concurrently with calls and
 * with other transitions; a verdict racing a local transition either applies on the state it read
 * or retries on the fresh one. Transitions made here are published to listeners and to the log with
 * reason {@link StateTransition.Reason#FLEET}. Durations are remaining times on the breaker's own
 * monotonic clock: the fleet converts the store's deadline before calling.
 */
public interface FleetControl {

    /** The control of {@code breaker} (every breaker of this library has one). */
    static FleetControl of(CircuitBreaker breaker) {
        Objects.requireNonNull(breaker, "breaker");
        return (FleetControl) breaker;
    }

    /**
     * Follows a remote OPEN verdict: from CLOSED or HALF_OPEN, moves to OPEN for {@code remaining}
     * with reason {@code FLEET} (a new generation: permits out are stale); on an OPEN breaker, moves
     * its deadline to the shared one (same generation, nothing published). After the deadline the
     * breaker goes HALF_OPEN lazily as after a trip.
     *
     * @param remaining positive, at most 100 years
     * @return whether the verdict was applied ({@code false} in FORCED_OPEN or DISABLED)
     * @throws IllegalArgumentException if {@code remaining} is out of range (naming the value)
     */
    boolean openByFleet(Duration remaining);

    /**
     * Follows a remote CLOSE verdict (the fleet's prober succeeded): from OPEN or HALF_OPEN, moves to
     * CLOSED with an empty window, reason {@code FLEET}, and clears the open-state backoff.
     *
     * @return whether the breaker closed ({@code false} when CLOSED already or in a manual state)
     */
    boolean closeByFleet();

    /**
     * A probe lease went to another instance: an OPEN breaker keeps rejecting until at least
     * {@code remaining} from now (its deadline only grows; same generation, nothing published), so
     * that only the lease holder probes. Rejected calls keep their retry-after. Does nothing in any
     * other state, so a breaker already probing is never cut short.
     *
     * @param remaining positive, at most 100 years
     * @return whether the deadline moved
     * @throws IllegalArgumentException if {@code remaining} is out of range (naming the value)
     */
    boolean holdOpen(Duration remaining);

    /**
     * Registers a listener for state transitions only. Unlike
     * {@link CircuitBreaker#addListener(CircuitBreakerListener)} it costs the call path nothing: it
     * is not called for outcomes or rejections (only {@code onStateTransition} is used) and does
     * not make {@code wantsCallDurations()} true, so callers keep skipping call timing. It runs on
     * the thread that made the transition, after the ordinary listeners; an exception it throws is
     * logged and ignored.
     *
     * @return a handle that removes the listener
     */
    ListenerRegistration addTransitionListener(CircuitBreakerListener listener);
}
