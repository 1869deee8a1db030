package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#TIMEOUT} over {@link Shape#FLUX_ASYNC}. */
public class TimeoutFluxAsyncTckTest extends GuardVerification {

    public TimeoutFluxAsyncTckTest() {
        super(Guard.TIMEOUT, Shape.FLUX_ASYNC);
    }
}
