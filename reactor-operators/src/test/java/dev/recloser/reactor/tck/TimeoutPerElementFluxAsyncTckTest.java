package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#TIMEOUT_PER_ELEMENT} over {@link Shape#FLUX_ASYNC}. */
public class TimeoutPerElementFluxAsyncTckTest extends GuardVerification {

    public TimeoutPerElementFluxAsyncTckTest() {
        super(Guard.TIMEOUT_PER_ELEMENT, Shape.FLUX_ASYNC);
    }
}
