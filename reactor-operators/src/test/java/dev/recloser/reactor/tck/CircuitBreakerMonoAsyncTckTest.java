package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#CIRCUIT_BREAKER} over {@link Shape#MONO_ASYNC}. */
public class CircuitBreakerMonoAsyncTckTest extends GuardVerification {

    public CircuitBreakerMonoAsyncTckTest() {
        super(Guard.CIRCUIT_BREAKER, Shape.MONO_ASYNC);
    }
}
