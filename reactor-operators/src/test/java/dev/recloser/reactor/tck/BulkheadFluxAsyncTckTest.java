package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#BULKHEAD} over {@link Shape#FLUX_ASYNC}. */
public class BulkheadFluxAsyncTckTest extends GuardVerification {

    public BulkheadFluxAsyncTckTest() {
        super(Guard.BULKHEAD, Shape.FLUX_ASYNC);
    }
}
