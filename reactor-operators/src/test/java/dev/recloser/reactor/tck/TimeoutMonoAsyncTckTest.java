package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#TIMEOUT} over {@link Shape#MONO_ASYNC}. */
public class TimeoutMonoAsyncTckTest extends GuardVerification {

    public TimeoutMonoAsyncTckTest() {
        super(Guard.TIMEOUT, Shape.MONO_ASYNC);
    }
}
