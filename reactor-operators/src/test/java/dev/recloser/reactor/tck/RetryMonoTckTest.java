package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#RETRY} over {@link Shape#MONO}. */
public class RetryMonoTckTest extends GuardVerification {

    public RetryMonoTckTest() {
        super(Guard.RETRY, Shape.MONO);
    }
}
