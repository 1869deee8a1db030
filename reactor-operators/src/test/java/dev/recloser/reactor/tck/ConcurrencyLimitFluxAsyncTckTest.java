package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#CONCURRENCY_LIMIT} over {@link Shape#FLUX_ASYNC}. */
public class ConcurrencyLimitFluxAsyncTckTest extends GuardVerification {

    public ConcurrencyLimitFluxAsyncTckTest() {
        super(Guard.CONCURRENCY_LIMIT, Shape.FLUX_ASYNC);
    }
}
