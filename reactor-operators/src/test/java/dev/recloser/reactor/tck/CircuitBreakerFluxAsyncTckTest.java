package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#CIRCUIT_BREAKER} over {@link Shape#FLUX_ASYNC}. */
public class CircuitBreakerFluxAsyncTckTest extends GuardVerification {

    public CircuitBreakerFluxAsyncTckTest() {
        super(Guard.CIRCUIT_BREAKER, Shape.FLUX_ASYNC);
    }
}
