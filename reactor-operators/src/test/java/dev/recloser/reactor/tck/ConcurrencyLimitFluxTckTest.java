package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#CONCURRENCY_LIMIT} over {@link Shape#FLUX}. */
public class ConcurrencyLimitFluxTckTest extends GuardVerification {

    public ConcurrencyLimitFluxTckTest() {
        super(Guard.CONCURRENCY_LIMIT, Shape.FLUX);
    }
}
