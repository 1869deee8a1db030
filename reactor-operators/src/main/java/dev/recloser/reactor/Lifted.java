package dev.recloser.reactor;

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
 * body and the {@code Scannable} name and run style.
 */
final class Lifted {

    private Lifted() {
    }

    /** What an operator does for one downstream subscriber. */
    @FunctionalInterface
    interface Body<T> {
        void subscribe(CorePublisher<? extends T> source, CoreSubscriber<? super T> actual, boolean mono);
    }

    static <T> Publisher<T> lift(Publisher<T> source, Body<T> body, String name, Scannable.Attr.RunStyle runStyle) {
        if (source instanceof Mono<T> mono) {
            return new LiftedMono<>(mono, body, name, runStyle);
        }
        return new LiftedFlux<>(Flux.from(source), body, name, runStyle);
    }

    static final class LiftedMono<T> extends MonoOperator<T, T> {
        private final Body<T> body;
        private final String name;
        private final Attr.RunStyle runStyle;

        LiftedMono(Mono<? extends T> source, Body<T> body, String name, Attr.RunStyle runStyle) {
            super(source);
            this.body = body;
            this.name = name;
            this.runStyle = runStyle;
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            body.subscribe(source, actual, true);
        }

        @SuppressWarnings("rawtypes") // reactor-core declares scanUnsafe with the raw Attr type
        @Override
        public Object scanUnsafe(Attr key) {
            return key == Attr.RUN_STYLE ? runStyle : key == Attr.NAME ? name : super.scanUnsafe(key);
        }
    }

    static final class LiftedFlux<T> extends FluxOperator<T, T> {
        private final Body<T> body;
        private final String name;
        private final Attr.RunStyle runStyle;

        LiftedFlux(Flux<? extends T> source, Body<T> body, String name, Attr.RunStyle runStyle) {
            super(source);
            this.body = body;
            this.name = name;
            this.runStyle = runStyle;
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            body.subscribe(source, actual, false);
        }

        @SuppressWarnings("rawtypes") // reactor-core declares scanUnsafe with the raw Attr type
        @Override
        public Object scanUnsafe(Attr key) {
            return key == Attr.RUN_STYLE ? runStyle : key == Attr.NAME ? name : super.scanUnsafe(key);
        }
    }
}
