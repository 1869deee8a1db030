package dev.recloser.reactor;

import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;

/**
 * The assembly side shared by every operator of this package: a Mono stays a Mono (a
 * {@link MonoOperator}), anything else becomes a Flux, and each subscription is handed to the
 * operator's {@link Body} with a flag saying which. The per-subscription work, and all the
 * concurrency, lives in each operator's subscriber; these two classes only carry the source, the
 * body and the {@code Scannable} step name and run style.
 *
 * <p>Names. As in reactor-core, an operator describes itself through {@link Scannable#stepName()}
 * and {@link Scannable.Attr#RUN_STYLE}, never through {@link Scannable.Attr#NAME}: only the user's
 * {@code .name(...)} sets that attribute, and {@link Scannable#name()} walks up the chain to find
 * it. Metrics ({@code tap}, {@code Micrometer.metrics}) and tracing name their meters and spans by
 * {@code name()}, so a guarded publisher must keep the user's name. The step name is computed only
 * when asked (it is a diagnostic), so that assembling a guarded publisher builds no string.
 */
final class Lifted {

    private Lifted() {
    }

    /** What an operator does for one downstream subscriber. */
    @FunctionalInterface
    interface Body<T> {
        void subscribe(CorePublisher<? extends T> source, CoreSubscriber<? super T> actual, boolean mono);
    }

    static <T> Publisher<T> lift(Publisher<T> source, Body<T> body, Supplier<String> stepName,
                                 Scannable.Attr.RunStyle runStyle) {
        if (source instanceof Mono<T> mono) {
            return new LiftedMono<>(mono, body, stepName, runStyle);
        }
        return new LiftedFlux<>(Flux.from(source), body, stepName, runStyle);
    }

    static final class LiftedMono<T> extends MonoOperator<T, T> {
        private final Body<T> body;
        private final Supplier<String> stepName;
        private final Attr.RunStyle runStyle;

        LiftedMono(Mono<? extends T> source, Body<T> body, Supplier<String> stepName, Attr.RunStyle runStyle) {
            super(source);
            this.body = body;
            this.stepName = stepName;
            this.runStyle = runStyle;
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            body.subscribe(source, actual, true);
        }

        @SuppressWarnings("rawtypes") // reactor-core declares scanUnsafe with the raw Attr type
        @Override
        public Object scanUnsafe(Attr key) {
            return key == Attr.RUN_STYLE ? runStyle : super.scanUnsafe(key); // no NAME: see the class notes
        }

        @Override
        public String stepName() {
            return stepName.get();
        }
    }

    static final class LiftedFlux<T> extends FluxOperator<T, T> {
        private final Body<T> body;
        private final Supplier<String> stepName;
        private final Attr.RunStyle runStyle;

        LiftedFlux(Flux<? extends T> source, Body<T> body, Supplier<String> stepName, Attr.RunStyle runStyle) {
            super(source);
            this.body = body;
            this.stepName = stepName;
            this.runStyle = runStyle;
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            body.subscribe(source, actual, false);
        }

        @SuppressWarnings("rawtypes") // reactor-core declares scanUnsafe with the raw Attr type
        @Override
        public Object scanUnsafe(Attr key) {
            return key == Attr.RUN_STYLE ? runStyle : super.scanUnsafe(key); // no NAME: see the class notes
        }

        @Override
        public String stepName() {
            return stepName.get();
        }
    }
}
