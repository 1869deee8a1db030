package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#PIPELINE} over {@link Shape#FLUX}. */
public class PipelineFluxTckTest extends GuardVerification {

    public PipelineFluxTckTest() {
        super(Guard.PIPELINE, Shape.FLUX);
    }
}
