package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#CONCURRENCY_LIMIT} over {@link Shape#MONO}. */
public class ConcurrencyLimitMonoTckTest extends GuardVerification {

    public ConcurrencyLimitMonoTckTest() {
        super(Guard.CONCURRENCY_LIMIT, Shape.MONO);
    }
}
