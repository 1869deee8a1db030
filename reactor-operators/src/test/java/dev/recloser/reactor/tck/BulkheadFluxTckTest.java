package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#BULKHEAD} over {@link Shape#FLUX}. */
public class BulkheadFluxTckTest extends GuardVerification {

    public BulkheadFluxTckTest() {
        super(Guard.BULKHEAD, Shape.FLUX);
    }
}
