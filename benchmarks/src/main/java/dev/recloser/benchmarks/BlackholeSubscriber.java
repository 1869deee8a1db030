package dev.recloser.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * The subscriber of every reactive benchmark: requests everything in {@code onSubscribe} and hands
 * every value and error to the {@link Blackhole}. One per benchmark thread ({@link Scope#Thread}),
 * reused for every operation, so it allocates nothing and costs the same in every row: a row's
 * cost is the subscription it measures (the operators, their subscribers, the signals), not this
 * subscriber.
 *
 * <p>It keeps no state between subscriptions on purpose (no subscription reference, no counters):
 * correctness of what the benchmarks subscribe to is checked once, in their {@code @Setup}, with
 * {@link Recording}.
 */
@State(Scope.Thread)
public class BlackholeSubscriber implements CoreSubscriber<Object> {

    private Blackhole blackhole;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        this.blackhole = bh;
    }

    @Override
    public void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Object value) {
        blackhole.consume(value);
    }

    @Override
    public void onError(Throwable error) {
        blackhole.consume(error);
    }

    @Override
    public void onComplete() {
        // Nothing to consume: completion carries no value.
    }

    /**
     * A subscriber for the checks in {@code @Setup}: records what arrives, so a check can tell that a
     * subscription ended synchronously (before {@code subscribe} returned) and how.
     */
    static final class Recording implements CoreSubscriber<Object> {
        int values;
        Object lastValue;
        boolean completed;
        Throwable error;

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Object value) {
            values++;
            lastValue = value;
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onComplete() {
            completed = true;
        }

        /** Throws unless the subscription completed synchronously after exactly {@code expectedValues} values. */
        Recording requireCompleted(String what, int expectedValues) {
            if (!completed || error != null || values != expectedValues) {
                throw new IllegalStateException(what + ": expected " + expectedValues + " values and completion "
                        + "before subscribe returned, got " + values + " values, completed=" + completed
                        + ", error=" + error);
            }
            return this;
        }

        /** Throws unless the subscription failed synchronously with an error of type {@code type}. */
        Recording requireError(String what, Class<? extends Throwable> type) {
            if (!type.isInstance(error) || values != 0 || completed) {
                throw new IllegalStateException(what + ": expected " + type.getName() + " before subscribe "
                        + "returned, got " + values + " values, completed=" + completed + ", error=" + error);
            }
            return this;
        }
    }
}
