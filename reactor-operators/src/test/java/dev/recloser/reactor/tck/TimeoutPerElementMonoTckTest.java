package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#TIMEOUT_PER_ELEMENT} over {@link Shape#MONO}. */
public class TimeoutPerElementMonoTckTest extends GuardVerification {

    public TimeoutPerElementMonoTckTest() {
        super(Guard.TIMEOUT_PER_ELEMENT, Shape.MONO);
    }
}
