package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#STANDARD} over {@link Shape#MONO_ASYNC}. */
public class StandardMonoAsyncTckTest extends GuardVerification {

    public StandardMonoAsyncTckTest() {
        super(Guard.STANDARD, Shape.MONO_ASYNC);
    }
}
