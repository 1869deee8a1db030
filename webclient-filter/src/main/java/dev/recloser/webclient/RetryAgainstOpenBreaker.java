package dev.recloser.webclient;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.retry.RetryPolicy;
import java.time.Duration;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

/**
 * One exchange's attempts when it is retried through a breaker and the policy does not wait for
 * open breakers: the source of each attempt ({@link #get()}, which counts them), and the stage
 * between the breaker and the retry that turns a retryable failure into the breaker's
 * {@link dev.recloser.core.CallNotPermittedException} when the breaker is OPEN and will stay open
 * for longer than the retry could wait. Without it the retry would wait out its delay (a
 * {@code Retry-After} of seconds, say) only to be rejected by the breaker at the end of it.
 *
 * <p>"Longer than the retry could wait": the delay the policy would take for this failure, which is
 * exact when the delay comes from a hint ({@code Retry-After}, capped at {@code maxDelayHint}), and
 * the backoff's {@code maxDelay} otherwise (its jitter stays within it), so the stage never fails a
 * call whose retry could have found the breaker half-open. The last attempt is never turned into a
 * rejection: no retry follows it, and its caller gets its response or error as before.
 *
 * <p>One instance per exchange. Not thread-safe and need not be: attempts of one exchange run one
 * after the other, each started after the previous one ended, through the retry's happens-before
 * chain (see RetrySubscriber's notes), so {@link #attempts} is a plain field.
 */
final class RetryAgainstOpenBreaker implements java.util.function.Supplier<Mono<ClientResponse>> {

    private final ClientRequest request;
    private final ExchangeFunction next;
    private final CircuitBreaker breaker;
    private final RetryPolicy policy;
    /** Attempts started; plain, see the class notes. */
    private int attempts;

    RetryAgainstOpenBreaker(ClientRequest request, ExchangeFunction next, CircuitBreaker breaker, RetryPolicy policy) {
        this.request = request;
        this.next = next;
        this.breaker = breaker;
        this.policy = policy;
    }

    /** The source of one attempt: the exchange. */
    @Override
    public Mono<ClientResponse> get() {
        attempts++;
        return next.exchange(request);
    }

    /** The stage, placed right outside the breaker operator (which has recorded the outcome by then). */
    Mono<ClientResponse> apply(Mono<ClientResponse> attempt) {
        return attempt.handle(this::onResponse).onErrorMap(this::cut, e -> breaker.callNotPermitted());
    }

    private void onResponse(ClientResponse response, SynchronousSink<ClientResponse> sink) {
        if (cut(response)) {
            // Released here, before handle() cancels the attempt: the connector then finds the body
            // being drained and leaves it alone (released once; see RetrySubscriber#onFailure).
            Responses.RELEASE.accept(response);
            sink.error(breaker.callNotPermitted());
        } else {
            sink.next(response);
        }
    }

    /** Whether {@code failure} (a response or an error) would be retried into a certain rejection. */
    private boolean cut(Object failure) {
        if (attempts >= policy.maxAttempts() || breaker.state() != CircuitBreaker.State.OPEN) {
            return false; // the fast path of every success: two reads
        }
        try {
            boolean retryable = failure instanceof Throwable error
                    ? policy.isRetryable(error)
                    : policy.isRetryableResult(failure);
            return retryable && breaker.remainingOpenDuration().compareTo(longestDelay(failure)) > 0;
        } catch (Throwable e) {
            // A user predicate or hint threw: let the retry meet (and report) the same failure.
            Exceptions.throwIfJvmFatal(e);
            return false;
        }
    }

    private Duration longestDelay(Object failure) {
        Duration hint = policy.delayHint().apply(failure);
        if (hint == null) {
            return policy.backoff().maxDelay();
        }
        if (hint.isNegative()) {
            return Duration.ZERO;
        }
        return hint.compareTo(policy.maxDelayHint()) > 0 ? policy.maxDelayHint() : hint;
    }
}
