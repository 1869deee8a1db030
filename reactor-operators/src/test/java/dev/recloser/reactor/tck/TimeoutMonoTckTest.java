package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#TIMEOUT} over {@link Shape#MONO}. */
public class TimeoutMonoTckTest extends GuardVerification {

    public TimeoutMonoTckTest() {
        super(Guard.TIMEOUT, Shape.MONO);
    }
}
