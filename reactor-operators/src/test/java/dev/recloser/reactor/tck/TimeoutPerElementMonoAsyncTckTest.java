package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#TIMEOUT_PER_ELEMENT} over {@link Shape#MONO_ASYNC}. */
public class TimeoutPerElementMonoAsyncTckTest extends GuardVerification {

    public TimeoutPerElementMonoAsyncTckTest() {
        super(Guard.TIMEOUT_PER_ELEMENT, Shape.MONO_ASYNC);
    }
}
