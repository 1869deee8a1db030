package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#BULKHEAD} over {@link Shape#MONO_ASYNC}. */
public class BulkheadMonoAsyncTckTest extends GuardVerification {

    public BulkheadMonoAsyncTckTest() {
        super(Guard.BULKHEAD, Shape.MONO_ASYNC);
    }
}
