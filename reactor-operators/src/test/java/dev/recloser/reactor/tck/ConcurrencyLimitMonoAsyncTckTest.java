package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#CONCURRENCY_LIMIT} over {@link Shape#MONO_ASYNC}. */
public class ConcurrencyLimitMonoAsyncTckTest extends GuardVerification {

    public ConcurrencyLimitMonoAsyncTckTest() {
        super(Guard.CONCURRENCY_LIMIT, Shape.MONO_ASYNC);
    }
}
