package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#RETRY} over {@link Shape#FLUX_ASYNC}. */
public class RetryFluxAsyncTckTest extends GuardVerification {

    public RetryFluxAsyncTckTest() {
        super(Guard.RETRY, Shape.FLUX_ASYNC);
    }
}
