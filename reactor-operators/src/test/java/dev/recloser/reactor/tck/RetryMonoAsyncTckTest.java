package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#RETRY} over {@link Shape#MONO_ASYNC}. */
public class RetryMonoAsyncTckTest extends GuardVerification {

    public RetryMonoAsyncTckTest() {
        super(Guard.RETRY, Shape.MONO_ASYNC);
    }
}
