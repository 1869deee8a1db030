package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#STANDARD} over {@link Shape#MONO}. */
public class StandardMonoTckTest extends GuardVerification {

    public StandardMonoTckTest() {
        super(Guard.STANDARD, Shape.MONO);
    }
}
