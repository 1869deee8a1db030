package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#BULKHEAD} over {@link Shape#MONO}. */
public class BulkheadMonoTckTest extends GuardVerification {

    public BulkheadMonoTckTest() {
        super(Guard.BULKHEAD, Shape.MONO);
    }
}
