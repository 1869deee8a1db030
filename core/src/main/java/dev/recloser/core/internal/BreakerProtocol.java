package dev.recloser.core.internal;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreaker;

/**
 * The operator side of a {@link CircuitBreaker}: what the Reactor operators and the WebClient
 * filter need beyond the user API to run a call with one clock read and no allocation.
 *
 * <p>Not an API: this package is exported only to Recloser's own modules ({@code module-info}),
 * and its types may change in any release. Every breaker is one of these ({@link CircuitBreaker}
 * is sealed), so {@link #of(CircuitBreaker)} never fails.
 *
 * <p>Thread-safety: as {@link CircuitBreaker}, every method may be called from any thread, never
 * blocks and takes no lock.
 */
public interface BreakerProtocol {

    /** The protocol view of {@code breaker}. */
    static BreakerProtocol of(CircuitBreaker breaker) {
        return (BreakerProtocol) breaker;
    }

    /**
     * Whether outcome reports need a real duration: true when the config detects slow calls or a
     * listener is registered (listeners receive durations). When false, a caller may skip timing the
     * call and report a duration of 0 (the operators then read no clock on the closed path). A
     * listener registered while calls are in flight may see 0 for those calls.
     */
    boolean wantsCallDurations();

    /**
     * {@link CircuitBreaker#tryAcquirePermit()} with the current reading of the breaker's clock
     * supplied by the caller, for callers that read it anyway (an operator timing the call): the
     * breaker then reads no clock itself. {@code nowNanos} must come from the config's clock.
     */
    long tryAcquirePermit(long nowNanos);

    /**
     * {@link CircuitBreaker#callNotPermitted()} with the current reading of the breaker's clock
     * supplied by the caller, so that a fast fail reads the clock once in all.
     */
    CallNotPermittedException callNotPermitted(long nowNanos);
}
