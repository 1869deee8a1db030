package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#RETRY} over {@link Shape#FLUX}. */
public class RetryFluxTckTest extends GuardVerification {

    public RetryFluxTckTest() {
        super(Guard.RETRY, Shape.FLUX);
    }
}
