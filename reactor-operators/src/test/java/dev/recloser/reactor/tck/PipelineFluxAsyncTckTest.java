package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#PIPELINE} over {@link Shape#FLUX_ASYNC}. */
public class PipelineFluxAsyncTckTest extends GuardVerification {

    public PipelineFluxAsyncTckTest() {
        super(Guard.PIPELINE, Shape.FLUX_ASYNC);
    }
}
