package dev.recloser.reactor.tck;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The source an operator guards in a TCK run: a Flux or a Mono, signalling on the subscribing
 * thread or on another one.
 */
public enum Shape {

    /** {@code Flux.range}: every signal on the thread that subscribes or requests. */
    FLUX(false) {
        @Override
        Publisher<Integer> source(long elements) {
            return Flux.range(0, (int) elements);
        }

        @Override
        Publisher<Integer> error(Throwable error) {
            return Flux.error(error);
        }
    },

    /**
     * {@code Flux.range(...).publishOn(parallel)}: values and terminal signals on a scheduler
     * thread, while the test thread requests and cancels.
     */
    FLUX_ASYNC(false) {
        @Override
        Publisher<Integer> source(long elements) {
            return Flux.range(0, (int) elements).publishOn(Schedulers.parallel());
        }

        @Override
        Publisher<Integer> error(Throwable error) {
            return Flux.<Integer>error(error).publishOn(Schedulers.parallel());
        }
    },

    /** {@code Mono.just} or {@code Mono.empty}: the operator takes its Mono path. */
    MONO(true) {
        @Override
        Publisher<Integer> source(long elements) {
            return elements == 0 ? Mono.empty() : Mono.just(0);
        }

        @Override
        Publisher<Integer> error(Throwable error) {
            return Mono.error(error);
        }
    },

    /**
     * A Mono subscribed on a scheduler thread ({@code subscribeOn(parallel)}): the operator's
     * subscriber gets {@code onSubscribe} and every later signal from there.
     */
    MONO_ASYNC(true) {
        @Override
        Publisher<Integer> source(long elements) {
            Mono<Integer> mono = elements == 0 ? Mono.empty() : Mono.just(0);
            return mono.subscribeOn(Schedulers.parallel());
        }

        @Override
        Publisher<Integer> error(Throwable error) {
            return Mono.<Integer>error(error).subscribeOn(Schedulers.parallel());
        }
    };

    /**
     * Most elements a Flux source may be asked for. The sources are lazy ranges, so the bound costs
     * nothing: every rule asks for at most 20 elements except 3.17's demand-overflow rule, which
     * asks for {@code Integer.MAX_VALUE} and cancels after its eleventh element.
     */
    static final long MAX_FLUX_ELEMENTS = Integer.MAX_VALUE;

    private final boolean mono;

    Shape(boolean mono) {
        this.mono = mono;
    }

    /** Whether the source is a Mono (the TCK then asks for at most one element). */
    boolean mono() {
        return mono;
    }

    long maxElements() {
        return mono ? 1 : MAX_FLUX_ELEMENTS;
    }

    /** A source of {@code elements} elements, at most {@link #maxElements()}. */
    abstract Publisher<Integer> source(long elements);

    /** A source that fails with {@code error}. */
    abstract Publisher<Integer> error(Throwable error);
}
