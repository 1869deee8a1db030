package dev.recloser.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.Bulkhead;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.limit.ConcurrencyLimiter;
import dev.recloser.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.Scannable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A guarded publisher keeps the user's {@code .name(...)}: Reactor's metrics ({@code tap},
 * {@code Micrometer.metrics}) and tracing name meters and spans by {@link Scannable#name()}. The
 * operators describe themselves through {@link Scannable#stepName()} and
 * {@link Scannable.Attr#RUN_STYLE}, as reactor-core's own do, and never answer
 * {@link Scannable.Attr#NAME}.
 */
class ScannableNamesTest {

    private static final CircuitBreaker BREAKER = CircuitBreaker.ofDefaults("inventory");
    private static final Bulkhead BULKHEAD = Bulkhead.of("pool", 8);

    static List<Arguments> operators() {
        return List.of(
                Arguments.of("circuitBreaker(inventory)", Scannable.Attr.RunStyle.SYNC,
                        CircuitBreakerOperator.of(BREAKER)),
                Arguments.of("retry", Scannable.Attr.RunStyle.ASYNC, RetryOperator.of(RetryPolicy.defaults())),
                Arguments.of("timeout(PT5S)", Scannable.Attr.RunStyle.ASYNC, TimeoutOperator.of(Duration.ofSeconds(5))),
                Arguments.of("timeout(PT5S, perElement)", Scannable.Attr.RunStyle.ASYNC,
                        TimeoutOperator.perElement(Duration.ofSeconds(5))),
                Arguments.of("bulkhead(pool)", Scannable.Attr.RunStyle.SYNC, BulkheadOperator.of(BULKHEAD)),
                Arguments.of("concurrencyLimit(db)", Scannable.Attr.RunStyle.SYNC,
                        ConcurrencyLimitOperator.of(ConcurrencyLimiter.ofDefaults("db"))),
                // A pipeline is its outermost stage: here the bulkhead.
                Arguments.of("bulkhead(pool)", Scannable.Attr.RunStyle.SYNC, Resilience.pipeline().bulkhead(BULKHEAD)
                        .timeout(Duration.ofSeconds(5)).retry(RetryPolicy.defaults()).circuitBreaker(BREAKER)
                        .timeout(Duration.ofSeconds(1)).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operators")
    void aMonoKeepsTheUsersNameAndTheOperatorReportsItsStep(String step, Scannable.Attr.RunStyle style,
                                                             UnaryOperator<Publisher<Integer>> operator) {
        Mono<Integer> guarded = Mono.just(1).name("inventory.get").transform(operator);
        Scannable scannable = Scannable.from(guarded);
        assertThat(scannable.name()).isEqualTo("inventory.get");
        assertThat(scannable.scan(Scannable.Attr.NAME)).isNull();
        assertThat(scannable.stepName()).isEqualTo(step);
        assertThat(scannable.scan(Scannable.Attr.RUN_STYLE)).isEqualTo(style);
        // Unnamed: name() falls back to the step name, which Reactor's metrics read as "no name given".
        Scannable unnamed = Scannable.from(Mono.just(1).transform(operator));
        assertThat(unnamed.name()).isEqualTo(unnamed.stepName()).isEqualTo(step);
        assertSubscriberDescribesItsStep(guarded, step);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operators")
    void aFluxKeepsTheUsersNameAndTheOperatorReportsItsStep(String step, Scannable.Attr.RunStyle style,
                                                             UnaryOperator<Publisher<Integer>> operator) {
        Flux<Integer> guarded = Flux.just(1, 2).name("feed.stream").transform(operator);
        Scannable scannable = Scannable.from(guarded);
        assertThat(scannable.name()).isEqualTo("feed.stream");
        assertThat(scannable.scan(Scannable.Attr.NAME)).isNull();
        assertThat(scannable.stepName()).isEqualTo(step);
        assertThat(scannable.scan(Scannable.Attr.RUN_STYLE)).isEqualTo(style);
        // A name given after the operator is the name too, of course.
        assertThat(Scannable.from(Flux.just(1).transform(operator).name("after")).name()).isEqualTo("after");
        assertSubscriberDescribesItsStep(guarded, step);
    }

    /** The subscriber downstream receives describes itself by its step too, and has no NAME. */
    private static void assertSubscriberDescribesItsStep(Publisher<Integer> guarded, String step) {
        AtomicReference<Scannable> inner = new AtomicReference<>();
        BaseSubscriber<Integer> sink = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                inner.set(Scannable.from(s));
            }
        };
        guarded.subscribe(sink);
        try {
            assertThat(inner.get().isScanAvailable()).isTrue();
            assertThat(inner.get().scan(Scannable.Attr.NAME)).isNull();
            assertThat(inner.get().stepName()).isEqualTo(step);
        } finally {
            sink.cancel();
        }
    }
}
