package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#PIPELINE} over {@link Shape#MONO}. */
public class PipelineMonoTckTest extends GuardVerification {

    public PipelineMonoTckTest() {
        super(Guard.PIPELINE, Shape.MONO);
    }
}
