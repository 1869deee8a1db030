package dev.recloser.reactor.tck;

/** The Reactive Streams TCK for {@link Guard#PIPELINE} over {@link Shape#MONO_ASYNC}. */
public class PipelineMonoAsyncTckTest extends GuardVerification {

    public PipelineMonoAsyncTckTest() {
        super(Guard.PIPELINE, Shape.MONO_ASYNC);
    }
}
