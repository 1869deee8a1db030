package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#TIMEOUT} over {@link Shape#FLUX}. */
public class TimeoutFluxTckTest extends GuardVerification {

    public TimeoutFluxTckTest() {
        super(Guard.TIMEOUT, Shape.FLUX);
    }
}
