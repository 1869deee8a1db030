package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#TIMEOUT_PER_ELEMENT} over {@link Shape#FLUX}. */
public class TimeoutPerElementFluxTckTest extends GuardVerification {

    public TimeoutPerElementFluxTckTest() {
        super(Guard.TIMEOUT_PER_ELEMENT, Shape.FLUX);
    }
}
