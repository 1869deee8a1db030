package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#STANDARD} over {@link Shape#FLUX}. */
public class StandardFluxTckTest extends GuardVerification {

    public StandardFluxTckTest() {
        super(Guard.STANDARD, Shape.FLUX);
    }
}
