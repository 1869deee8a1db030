package dev.recloser.reactor;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.retry.RetryBudget;
import dev.recloser.core.retry.RetryExhaustedException;
import dev.recloser.core.retry.RetryListener;
import dev.recloser.core.retry.RetryPolicy;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import org.jspecify.annotations.Nullable;

/**
 * Re-subscribes to a failed {@link Mono} or {@link Flux} as a {@link RetryPolicy} allows:
 * {@code mono.transform(RetryOperator.of(policy))}. A Mono stays a Mono.
 *
 * <p>Semantics, per downstream subscription (one subscription is one call; each attempt is one
 * subscription to the source):
 * <ul>
 *   <li>What is retried: an error for which {@link RetryPolicy#isRetryable(Throwable)} is true
 *       ({@link CallNotPermittedException} only with {@code waitForOpenBreaker}, waiting at least
 *       its {@code retryAfter}); for a Mono also a value for which
 *       {@link RetryPolicy#isRetryableResult(Object)} is true: that value is discarded
 *       ({@code Operators.onDiscard}), the attempt is cancelled and a retry follows as for an error.
 *       {@code retryOnResult} does not apply to a Flux, whose values are a stream, not a result.
 *       JVM-fatal errors ({@code Exceptions.isJvmFatal}) are never retried: they go downstream
 *       unchanged.</li>
 *   <li>Not retried: a non-retryable error goes downstream unchanged (earlier attempts' errors
 *       are not attached); a value no predicate matches, and completion, go downstream as they
 *       are.</li>
 *   <li>When: after {@link RetryPolicy#nextDelayNanos} nanoseconds, counted with the attempt
 *       number, the previous delay and the time since the first attempt started (on
 *       {@link RetryPolicy#clock()}). A positive delay is a {@code Scheduler.schedule(task, delay,
 *       NANOSECONDS)} on the scheduler; no thread sleeps. A zero delay re-subscribes at once, in a
 *       loop rather than by recursion, so a source that fails synchronously cannot overflow the
 *       stack.</li>
 *   <li>Exhaustion: when the policy answers {@link RetryPolicy#STOP} (attempts used up, or the next
 *       delay would not fit {@code maxTotalDuration}), or the {@link #budget(RetryBudget) budget}
 *       refuses the retry, the subscriber gets {@link RetryExhaustedException} with the number of
 *       attempts, the last error as cause and up to 16 of the most recent earlier errors
 *       suppressed, oldest first (a bound on memory for long retry runs; the attempt count still
 *       counts them all; a Mono value that failed an earlier attempt is not an error and is not
 *       listed). A budget refusal is not distinguished from
 *       the policy's stop. If the last failure was a Mono value, the exception is
 *       {@link RetryExhaustedException#ofResult} and carries that value (not discarded: whoever
 *       handles the error owns it).</li>
 *   <li>{@code maxAttempts} 1: no retry is ever possible, so the operator is transparent: errors
 *       and values pass through unchanged, never wrapped. With more attempts allowed, a retryable
 *       failure is always wrapped when retrying stops, even after the first attempt (e.g. when
 *       the first delay already does not fit {@code maxTotalDuration}).</li>
 *   <li>Budget: {@link RetryBudget#recordCall()} once per subscription, before the first attempt
 *       (and at each reset, see below); {@link RetryBudget#tryAcquireRetry()} before each retry.</li>
 *   <li>Flux: demand carries over across attempts: what downstream requested and an attempt did
 *       not deliver is requested from the next attempt. A retried Flux starts again from its
 *       beginning, so values an earlier attempt delivered may be delivered again (duplicates are
 *       the source's business, e.g. resume from an offset inside a {@code Flux.defer}).</li>
 *   <li>{@link #resetAttemptsOnNext(boolean)}: for long-lived streams, an attempt that delivered a
 *       value counts as the first of a new sequence when it fails: attempts, previous delay, earlier
 *       errors and the elapsed-time origin start again from that failure (the time a healthy stream
 *       was silent before failing is not retry time), and the budget counts a new call.</li>
 *   <li>Cancel: cancels the current attempt and any pending retry (its timer is disposed); nothing
 *       is subscribed once the cancel is seen, except a re-subscription already under way, which is
 *       cancelled as it arrives. After cancel, nothing an attempt still signals goes downstream:
 *       its values are discarded ({@code Operators.onDiscard}), its completion and its error are
 *       dropped silently (downstream no longer listens, and the error is most often the cancel's
 *       own consequence).</li>
 *   <li>User functions that throw (the policy's predicates, delay hint, random source or clock, the
 *       budget's clock): what they throw goes through {@code Operators.onOperatorError} to the
 *       subscriber, with the error being classified attached as suppressed (a Mono value being
 *       classified is discarded and its attempt cancelled); nothing is retried. If the scheduler
 *       rejects the timer, the subscriber gets the rejection ({@code Operators.onRejectedExecution})
 *       with the error suppressed.</li>
 *   <li>The {@code Context} passes through untouched, to every attempt.</li>
 *   <li>{@link #listener(RetryListener) Listener} (none by default; without one the operator does
 *       no work for it): per subscription, {@link RetryListener#onRetryScheduled} for each retry
 *       decided, {@link RetryListener#onBudgetRejected} when the budget refuses one, then exactly
 *       one of {@link RetryListener#onCallFinished} and {@link RetryListener#onCallCancelled}.
 *       {@code onCallFinished} comes just before the terminal signal goes downstream (for a Mono
 *       with a value, before the value: a Mono's value is its result), with {@code succeeded} false
 *       for any error, the operator's own included, and the number of attempts made (counted across
 *       {@link #resetAttemptsOnNext(boolean) resets}, and 0 if the call failed before its first
 *       attempt). A cancel that wins the race with the call's end is reported as
 *       {@code onCallCancelled} and the end is then not reported, even if its signal still reaches
 *       downstream; a cancel after the end (or after a Mono's value) reports nothing. Listener
 *       methods run synchronously on the signalling thread; what they throw is logged (WARN, logger
 *       {@code dev.recloser.reactor.RetryOperator}) and dropped, and the call goes on.</li>
 * </ul>
 *
 * <p>The attempt count, previous delay, start time and earlier errors belong to the subscription,
 * never to the operator or to the publisher it returns: subscribing twice gives two independent
 * retry sequences.
 *
 * <p>Thread-safety: downstream may request and cancel from any thread, concurrently with attempts
 * and timers; the retry state is confined to the subscription and handed from one attempt to the
 * next along happens-before edges (see the notes in the subscriber). Instances of this class are
 * immutable and thread-safe; the withers return copies, so one operator may serve as a template
 * and be applied to any number of publishers.
 *
 * <p>Time: every delay and duration is the policy's, in nanoseconds. The waits run on a scheduler
 * obtained from a supplier at each subscription ({@link Schedulers#parallel()} by default), so
 * {@code StepVerifier.withVirtualTime} controls them; {@code maxTotalDuration} is measured on
 * {@link RetryPolicy#clock()}, so under virtual time give the policy a clock that reads the
 * virtual scheduler.
 *
 * @param <T> the element type
 */
public final class RetryOperator<T> implements UnaryOperator<Publisher<T>> {

    private final RetryPolicy policy;
    private final Supplier<? extends Scheduler> scheduler;
    @Nullable
    private final RetryBudget budget;
    private final boolean resetAttemptsOnNext;
    private final RetryListener listener;

    private RetryOperator(RetryPolicy policy, Supplier<? extends Scheduler> scheduler, @Nullable RetryBudget budget,
                          boolean resetAttemptsOnNext, RetryListener listener) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.budget = budget;
        this.resetAttemptsOnNext = resetAttemptsOnNext;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * An operator retrying as {@code policy} says, on {@link Schedulers#parallel()}, with no budget
     * and no listener.
     */
    public static <T> RetryOperator<T> of(RetryPolicy policy) {
        return new RetryOperator<>(policy, Schedulers::parallel, null, false, RetryListener.NONE);
    }

    /** A copy whose waits run on the scheduler {@code supplier} returns at each subscription. */
    public RetryOperator<T> scheduler(Supplier<? extends Scheduler> supplier) {
        return new RetryOperator<>(policy, Objects.requireNonNull(supplier, "scheduler"), budget, resetAttemptsOnNext,
                listener);
    }

    /** A copy whose retries must also be granted by {@code budget} (share one per destination). */
    public RetryOperator<T> budget(RetryBudget budget) {
        return new RetryOperator<>(policy, scheduler, Objects.requireNonNull(budget, "budget"), resetAttemptsOnNext,
                listener);
    }

    /** A copy without a budget (the default). */
    public RetryOperator<T> noBudget() {
        return new RetryOperator<>(policy, scheduler, null, resetAttemptsOnNext, listener);
    }

    /**
     * A copy in which an attempt that delivered a value starts a new count when it fails (see the
     * class description); for long-lived Flux streams. Default false.
     */
    public RetryOperator<T> resetAttemptsOnNext(boolean reset) {
        return new RetryOperator<>(policy, scheduler, budget, reset, listener);
    }

    /**
     * A copy that reports each subscription's retries and outcome to {@code listener} (see the class
     * description), in place of any listener set before; {@link RetryListener#NONE}, the default,
     * removes it. For metrics, pass a {@code RetryMeterBinder} ({@code dev.recloser.core.metrics})
     * bound to a meter registry. One listener per operator: to feed several, combine them in one.
     *
     * @throws NullPointerException if {@code listener} is null
     */
    public RetryOperator<T> listener(RetryListener listener) {
        return new RetryOperator<>(policy, scheduler, budget, resetAttemptsOnNext,
                Objects.requireNonNull(listener, "listener"));
    }

    /** The policy this operator follows. */
    public RetryPolicy policy() {
        return policy;
    }

    /** The budget retries must fit, if any. */
    public Optional<RetryBudget> budget() {
        return Optional.ofNullable(budget);
    }

    /** The listener of this operator's calls; {@link RetryListener#NONE} if none was set. */
    public RetryListener listener() {
        return listener;
    }

    @Override
    public Publisher<T> apply(Publisher<T> source) {
        return Lifted.lift(source, (src, actual, mono) -> subscribe(src, actual, mono), RetryOperator::stepName,
                reactor.core.Scannable.Attr.RunStyle.ASYNC);
    }

    @Override
    public String toString() {
        return "RetryOperator{policy=" + policy + ", budget=" + budget + ", resetAttemptsOnNext="
                + resetAttemptsOnNext + ", listener=" + listener + '}';
    }

    /** The {@code Scannable} step name of the publisher and of its subscribers (never {@code Attr.NAME}). */
    static String stepName() {
        return "retry";
    }

    /** Subscribes {@code actual} with a fresh retry state: the per-subscription work of both operators. */
    void subscribe(CorePublisher<? extends T> source, CoreSubscriber<? super T> actual, boolean mono) {
        Scheduler s;
        try {
            s = Objects.requireNonNull(scheduler.get(), "the scheduler supplier returned null");
        } catch (Throwable e) {
            Throwable reported = Operators.onOperatorError(e, actual.currentContext());
            if (listener != RetryListener.NONE) {
                RetrySubscriber.callFailedBeforeStart(listener);
            }
            Operators.error(actual, reported);
            return;
        }
        // NONE is passed as null: the subscriber then skips every listener hook after a null check.
        RetrySubscriber<T> parent = new RetrySubscriber<>(source, actual, policy, s, budget, resetAttemptsOnNext, mono,
                listener == RetryListener.NONE ? null : listener);
        actual.onSubscribe(parent);
        parent.start();
    }
}
