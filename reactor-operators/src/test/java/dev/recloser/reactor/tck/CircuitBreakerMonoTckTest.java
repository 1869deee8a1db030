package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#CIRCUIT_BREAKER} over {@link Shape#MONO}. */
public class CircuitBreakerMonoTckTest extends GuardVerification {

    public CircuitBreakerMonoTckTest() {
        super(Guard.CIRCUIT_BREAKER, Shape.MONO);
    }
}
