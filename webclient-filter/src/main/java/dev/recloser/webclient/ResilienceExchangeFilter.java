package dev.recloser.webclient;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.retry.RetryBudget;
import dev.recloser.core.retry.RetryExhaustedException;
import dev.recloser.core.retry.RetryListener;
import dev.recloser.core.retry.RetryPolicy;
import dev.recloser.reactor.RetryOperator;
import dev.recloser.reactor.TimeoutOperator;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The filter {@link ResilienceFilter.Builder#build()} returns. Immutable; the operators are built
 * once here and applied to each exchange.
 *
 * <p>Per exchange: pass the request through if another Recloser filter already governs it (see
 * {@link ResilienceFilter#GOVERNED_ATTRIBUTE}), else mark it, look up the key's breaker (a hash map
 * read), then assemble, innermost first, {@code defer(exchange) -> attempt timeout -> breaker -> [concurrency limit] ->
 * [open-breaker cut -> keep value -> retry] -> [fast-fail response] -> total timeout -> discard
 * hook}. The open-breaker cut ({@link RetryAgainstOpenBreaker}) turns a failure that would be
 * retried into a certain rejection into that rejection at once. The exchange is deferred so that every attempt makes a new request. The
 * discard hook sits outermost so that every operator inside (the retry discarding a retried
 * response, a timeout discarding a response that arrived too late) finds it in its context and
 * releases what it drops.
 */
final class ResilienceExchangeFilter implements ExchangeFilterFunction {

    private static final Logger LOG = LoggerFactory.getLogger(ResilienceFilter.class);

    private final BreakerTable breakers;
    private final KeyStrategy keys;
    private final Set<HttpMethod> retryMethods;
    private final RetryOperator<ClientResponse> retry;
    private final TimeoutOperator<ClientResponse> attemptTimeout;
    private final TimeoutOperator<ClientResponse> totalTimeout;
    private final boolean fastFailResponse;
    /** The effective retry policy, when retries against an open breaker are cut short (see RetryAgainstOpenBreaker). */
    private final RetryPolicy cutPolicy;
    /** Per-key adaptive limits; null without {@code concurrencyLimit}. */
    private final LimiterTable limiters;
    /** Whether this filter has logged that it found a request another Recloser filter governs. */
    private final AtomicBoolean nestedLogged = new AtomicBoolean();

    ResilienceExchangeFilter(BreakerTable breakers, KeyStrategy keys, RetryPolicy retry, Set<HttpMethod> retryMethods,
                             RetryBudget budget, RetryListener retryListener, Duration attemptTimeout,
                             Duration totalTimeout, Supplier<? extends Scheduler> scheduler, boolean fastFailResponse,
                             LimiterTable limiters) {
        this.breakers = breakers;
        this.limiters = limiters;
        this.keys = keys;
        this.retryMethods = retryMethods;
        RetryOperator<ClientResponse> r = null;
        if (retry != null) {
            r = RetryOperator.<ClientResponse>of(retry).scheduler(scheduler).listener(retryListener);
            if (budget != null) {
                r = r.budget(budget);
            }
        }
        this.retry = r;
        this.cutPolicy = retry != null && !retry.waitForOpenBreaker() && retry.maxAttempts() > 1 ? retry : null;
        this.attemptTimeout = attemptTimeout == null ? null
                : TimeoutOperator.<ClientResponse>of(attemptTimeout).scheduler(scheduler);
        this.totalTimeout = totalTimeout == null ? null
                : TimeoutOperator.<ClientResponse>of(totalTimeout).scheduler(scheduler);
        this.fastFailResponse = fastFailResponse;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest original, ExchangeFunction next) {
        if (original.attribute(ResilienceFilter.GOVERNED_ATTRIBUTE).isPresent()) {
            // Registered twice on one client (a Boot customizer plus a hand-written .filter(...)):
            // the outer instance governs the exchange; a second breaker, retry and timeout would
            // multiply attempts and outcomes. See docs/webclient.md.
            if (nestedLogged.compareAndSet(false, true)) {
                // Host and port only: a full URL may carry credentials or tokens in its query.
                LOG.warn("A Recloser filter already governs a {} request to {}:{}; this filter ({}) passes it "
                        + "through, as it will every such request. Register the filter once per WebClient.",
                        original.method(), original.url().getHost(), original.url().getPort(), this);
            }
            return next.exchange(original);
        }
        ClientRequest request = ClientRequest.from(original)
                .attribute(ResilienceFilter.GOVERNED_ATTRIBUTE, Boolean.TRUE)
                .build();
        String key;
        try {
            key = keys.key(request);
        } catch (Throwable e) {
            Exceptions.throwIfJvmFatal(e);
            return Mono.error(e);
        }
        if (key == null) {
            return Mono.error(new NullPointerException(
                    "key strategy " + keys + " returned null for " + request.method() + ' ' + request.url()));
        }
        BreakerTable.Entry entry = breakers.acquire(key);

        boolean retried = retry != null && retryMethods.contains(request.method());
        RetryAgainstOpenBreaker cut = retried && entry != null && cutPolicy != null
                ? new RetryAgainstOpenBreaker(request, next, entry.breaker, cutPolicy) : null;
        Mono<ClientResponse> call = cut != null ? Mono.defer(cut) : Mono.defer(() -> next.exchange(request));
        if (attemptTimeout != null) {
            call = call.transform(attemptTimeout);
        }
        if (entry != null) {
            call = call.transform(entry.operator);
        }
        if (limiters != null) {
            // Outside the breaker, inside the retry: one permit per attempt, taken before the
            // deferred exchange is subscribed, so a rejected attempt never reaches the pool.
            LimiterTable.Entry limit = limiters.acquire(key);
            if (limit != null) {
                call = call.transform(limit.operator);
            }
        }
        if (cut != null) {
            call = cut.apply(call);
        }
        if (retried) {
            // When retries run out on a retryable status, the caller gets that last response itself
            // (RetryOperator hands it over in the exception without cancelling its attempt).
            call = call.transform(retry)
                    .onErrorResume(RetryExhaustedException.class, ResilienceExchangeFilter::lastResponse);
        }
        if (fastFailResponse && entry != null) {
            String breakerName = entry.breaker.name();
            call = call.onErrorResume(CallNotPermittedException.class, e -> fastFail(e, breakerName, request));
            if (retry != null) {
                // With waitForOpenBreaker the retry may run out while the breaker is open.
                call = call.onErrorResume(ResilienceExchangeFilter::exhaustedOnRejection,
                        e -> fastFail((CallNotPermittedException) e.getCause(), breakerName, request));
            }
        }
        if (totalTimeout != null) {
            call = call.transform(totalTimeout);
        }
        return call.doOnDiscard(ClientResponse.class, Responses.RELEASE);
    }

    /**
     * Retries ran out on a retryable status: the caller gets that last response (the retry does not
     * discard it; it travels in the exception), as it would without the filter. Retries that ran
     * out on errors stay a {@link RetryExhaustedException}.
     */
    private static Mono<ClientResponse> lastResponse(RetryExhaustedException e) {
        return e.lastResult() instanceof ClientResponse response ? Mono.just(response) : Mono.error(e);
    }

    private static boolean exhaustedOnRejection(Throwable e) {
        return e instanceof RetryExhaustedException && e.getCause() instanceof CallNotPermittedException;
    }

    /** The synthetic 503 for a rejection by this exchange's own breaker; other rejections stay errors. */
    private static Mono<ClientResponse> fastFail(CallNotPermittedException rejection, String breakerName,
                                                 ClientRequest request) {
        if (!rejection.breakerName().equals(breakerName)) {
            return Mono.error(rejection); // a breaker further down the filter chain: not ours to answer for
        }
        // Spring's observation records the responses that pass its innermost filter; a synthetic
        // response never does, so it is handed to the call's observation here (see Responses#observed).
        return Mono.deferContextual(ctx -> Mono.just(Responses.observed(ctx, Responses.fastFail(rejection, request))));
    }

    /** The limiter table (null without a concurrency limit); for tests and diagnostics in this package. */
    LimiterTable limiters() {
        return limiters;
    }

    /** The breaker table; for tests and diagnostics in this package. */
    BreakerTable breakers() {
        return breakers;
    }

    @Override
    public String toString() {
        return "ResilienceFilter{keys=" + keys + ", maxBreakers=" + breakers.maxBreakers()
                + ", retry=" + (retry != null) + ", retryMethods=" + retryMethods
                + ", attemptTimeout=" + (attemptTimeout == null ? "none" : attemptTimeout.timeout())
                + ", totalTimeout=" + (totalTimeout == null ? "none" : totalTimeout.timeout())
                + ", fastFailResponse=" + fastFailResponse + '}';
    }
}
