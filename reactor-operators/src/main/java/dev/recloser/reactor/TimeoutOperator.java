package dev.recloser.reactor;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Bounds how long a {@link Mono} or {@link Flux} may run: {@code mono.transform(TimeoutOperator.of(d))}.
 *
 * <p>{@link #of(Duration)} is a total timeout: the whole subscription, from subscribe to the
 * terminal signal. {@link #perElement(Duration)} bounds the wait for each next element (the first
 * counted from subscribe) and then for the terminal signal: for long-lived Flux streams. When the
 * time elapses, upstream is cancelled and the subscriber gets {@link AttemptTimeoutException} (a
 * {@link java.util.concurrent.TimeoutException}); a circuit breaker placed outside the timeout
 * records it as a failure.
 *
 * <p>The timer runs on a {@link Scheduler} obtained from a supplier at each subscription
 * ({@link Schedulers#parallel()} by default), so {@code StepVerifier.withVirtualTime} controls it.
 * No thread ever sleeps or blocks. Immutable and thread-safe.
 *
 * @param <T> the element type
 */
public final class TimeoutOperator<T> implements UnaryOperator<Publisher<T>> {

    private final Duration timeout;
    private final long timeoutNanos;
    private final boolean perElement;
    private final Supplier<? extends Scheduler> scheduler;

    private TimeoutOperator(Duration timeout, boolean perElement, Supplier<? extends Scheduler> scheduler) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("timeout must be at most ~292 years, was " + timeout, e);
        }
        this.timeout = timeout;
        this.timeoutNanos = nanos;
        this.perElement = perElement;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** A total timeout: the subscription must terminate within {@code timeout} (positive). */
    public static <T> TimeoutOperator<T> of(Duration timeout) {
        return new TimeoutOperator<>(timeout, false, Schedulers::parallel);
    }

    /** A per-element timeout: each next element (and the terminal signal) within {@code timeout} of the previous. */
    public static <T> TimeoutOperator<T> perElement(Duration timeout) {
        return new TimeoutOperator<>(timeout, true, Schedulers::parallel);
    }

    /** A copy whose timer runs on the scheduler {@code supplier} returns at each subscription. */
    public TimeoutOperator<T> scheduler(Supplier<? extends Scheduler> supplier) {
        return new TimeoutOperator<>(timeout, perElement, supplier);
    }

    /** The timeout. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Publisher<T> apply(Publisher<T> source) {
        return Lifted.lift(source, (src, actual, mono) -> src.subscribe(subscriber(actual, mono)),
                this::stepName, reactor.core.Scannable.Attr.RunStyle.ASYNC);
    }

    /** The {@code Scannable} step name of the publisher and of its subscribers (never {@code Attr.NAME}). */
    String stepName() {
        return stepName(timeout, perElement);
    }

    static String stepName(Duration timeout, boolean perElement) {
        return "timeout(" + timeout + (perElement ? ", perElement" : "") + ")";
    }

    TimeoutSubscriber<T> subscriber(CoreSubscriber<? super T> actual, boolean mono) {
        Scheduler s = Objects.requireNonNull(scheduler.get(), "scheduler supplier returned null");
        return new TimeoutSubscriber<>(actual, s, timeout, timeoutNanos, perElement, mono);
    }
}
