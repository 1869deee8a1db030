package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#STANDARD} over {@link Shape#FLUX_ASYNC}. */
public class StandardFluxAsyncTckTest extends GuardVerification {

    public StandardFluxAsyncTckTest() {
        super(Guard.STANDARD, Shape.FLUX_ASYNC);
    }
}
