package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#CIRCUIT_BREAKER} over {@link Shape#FLUX}. */
public class CircuitBreakerFluxTckTest extends GuardVerification {

    public CircuitBreakerFluxTckTest() {
        super(Guard.CIRCUIT_BREAKER, Shape.FLUX);
    }
}
