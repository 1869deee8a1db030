package dev.recloser.webclient;

import dev.recloser.core.CallNotPermittedException;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.core.limit.ConcurrencyLimitConfig;
import dev.recloser.core.retry.RetryBudget;
import dev.recloser.core.retry.RetryExhaustedException;
import dev.recloser.core.retry.RetryListener;
import dev.recloser.core.retry.RetryPolicy;
import dev.recloser.reactor.AttemptTimeoutException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A WebClient {@link ExchangeFilterFunction} with one circuit breaker per destination, optional
 * retries of idempotent requests that honour {@code Retry-After}, and attempt and total timeouts.
 *
 * <pre>{@code
 * WebClient client = WebClient.builder()
 *         .filter(ResilienceFilter.builder()
 *                 .breakers(registry)                          // one breaker per host:port by default
 *                 .retry(ResilienceFilter.idempotentRetry())   // GET, HEAD, OPTIONS, PUT, DELETE, TRACE
 *                 .attemptTimeout(Duration.ofSeconds(2))
 *                 .build())
 *         .build();
 * }</pre>
 *
 * <p><b>Order of the stages</b>, outermost first (as {@code Resilience.standard}): total timeout,
 * retry, [adaptive concurrency limit], circuit breaker, attempt timeout, exchange. So every attempt, retries included, goes
 * through the breaker and is counted by it; a timed-out attempt is a failure the breaker records and
 * the retry may retry; an open breaker stops the retries (unless the policy waits for it), and a
 * failure that leaves the breaker open for longer than the retry would wait ends the call at once
 * with the breaker's {@link CallNotPermittedException}; and the total timeout bounds the whole
 * call, waits included.
 *
 * <p><b>What the breaker counts as a failure</b>: a response whose status matches
 * {@link Builder#failureStatus(IntPredicate) failureStatus} (by default 5xx, 408 and 429; every
 * other status, 4xx included, is a success) and, through the breaker config's
 * {@code recordFailure} (by default every error), every error of the exchange: connection refused,
 * connect and read timeouts, a connection closed or reset before the response, an
 * {@link AttemptTimeoutException}. A cancelled exchange is neither: its permit is released (a
 * cancelled half-open probe lets the next call probe).
 *
 * <p><b>Open breaker</b>: the exchange is not made; the call fails with a
 * {@link CallNotPermittedException} (its {@code retryAfter()} is the rest of the open wait), or,
 * with {@link Builder#fastFailResponse(boolean) fastFailResponse}, completes with a synthetic 503
 * response carrying {@code Retry-After} (whole seconds, rounded up, at least 1) and
 * {@value #FAST_FAIL_HEADER} naming the breaker.
 *
 * <p><b>Responses and their bodies</b>: a response the filter drops (one that is retried, or one
 * that arrives after its attempt timed out) has its body released, which returns its connection to
 * the pool. A response the filter returns, the last one of an exhausted retry included, is the
 * caller's to consume, as with any WebClient exchange. When retries run out on a retryable status,
 * the caller gets that last response, not an error; when they run out on errors, the caller gets
 * the policy's {@link RetryExhaustedException} (the last error as its cause).
 *
 * <p>The filter is immutable and thread-safe; register one instance per WebClient (or share it
 * between WebClients that should share breakers). A Recloser filter that finds a request already
 * governed by one (registered twice on a client) passes it through: see {@link #GOVERNED_ATTRIBUTE}.
 * Filters that share a {@link Builder#breakers registry} share one breaker per key, evictions
 * included. Nothing it does blocks: the breaker is lock-free,
 * waits and timeouts are scheduled on the {@link Builder#scheduler(Supplier) scheduler}.
 */
public final class ResilienceFilter {

    /** The header of a {@link Builder#fastFailResponse(boolean) synthetic 503} naming the open breaker. */
    public static final String FAST_FAIL_HEADER = "X-Recloser-Fast-Fail";

    /**
     * The request attribute with which a Recloser filter marks the requests it governs (value
     * {@code Boolean.TRUE}). A Recloser filter that meets a request already so marked (the same
     * filter, or another, registered twice on one WebClient) passes it through untouched and logs
     * that once at WARN: one breaker, one retry and one set of timeouts per exchange.
     */
    public static final String GOVERNED_ATTRIBUTE = "dev.recloser.webclient.governed";

    /** The attempt timeout a filter has unless told otherwise. */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

    /** The methods retried by default: the idempotent ones of RFC 9110, section 9.2.2. */
    public static final Set<HttpMethod> IDEMPOTENT_METHODS = Set.of(
            HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

    private static final IntPredicate DEFAULT_FAILURE_STATUS = new NamedStatus(
            "5xx, 408, 429", status -> (status >= 500 && status <= 599) || status == 408 || status == 429);

    private static final IntPredicate DEFAULT_RETRY_STATUS = new NamedStatus(
            "408, 429, 502, 503, 504",
            status -> status == 408 || status == 429 || status == 502 || status == 503 || status == 504);

    /** A concurrency limiter's drop: the server says it is overloaded. */
    private static final Predicate<Object> OVERLOADED = new Predicate<>() {
        @Override
        public boolean test(Object value) {
            if (value instanceof ClientResponse response) {
                int status = response.statusCode().value();
                return status == 429 || status == 503;
            }
            return false;
        }

        @Override
        public String toString() {
            return "status 429 or 503";
        }
    };

    private static final Predicate<Throwable> TRANSIENT = new Predicate<>() {
        @Override
        public boolean test(Throwable error) {
            return isTransientError(error);
        }

        @Override
        public String toString() {
            return "ResilienceFilter::isTransientError";
        }
    };

    private static final RetryPolicy IDEMPOTENT_RETRY = RetryPolicy.builder()
            .maxAttempts(3)
            .retryOn(TRANSIENT)
            .maxDelayHint(Duration.ofSeconds(30))
            .build();

    private ResilienceFilter() {
    }

    /**
     * The key of a breaker this filter created ({@code "http:" + key}, e.g. {@code api.example:443}
     * for the default key strategy), or empty for any other breaker. For metric tags:
     * <pre>{@code
     * CircuitBreakerMeterBinder.of(registry)
     *         .withTags(b -> Tags.of("host", ResilienceFilter.keyOf(b).orElse("none")))
     *         .bindTo(meterRegistry);
     * }</pre>
     */
    public static java.util.Optional<String> keyOf(dev.recloser.core.CircuitBreaker breaker) {
        String name = breaker.name();
        return name.startsWith(BreakerTable.NAME_PREFIX)
                ? java.util.Optional.of(name.substring(BreakerTable.NAME_PREFIX.length()))
                : java.util.Optional.empty();
    }

    /**
     * The registry holding the breakers of {@code filter}, if it is a filter built by
     * {@link Builder#build()}: the one given to {@link Builder#breakers(CircuitBreakerRegistry)}, or
     * the registry the filter created for itself when that was left out. Bind it to metrics
     * ({@code CircuitBreakerMeterBinder.of(registry)}) or read its {@code health()}; empty for any
     * other filter (a composed {@code filter.andThen(other)} included).
     */
    public static java.util.Optional<CircuitBreakerRegistry> breakersOf(ExchangeFilterFunction filter) {
        return filter instanceof ResilienceExchangeFilter f
                ? java.util.Optional.of(f.breakers().registry())
                : java.util.Optional.empty();
    }

    /** A builder with the defaults listed on each of its methods. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A retry policy for HTTP calls: 3 attempts in all; retries errors that
     * {@link #isTransientError(Throwable)} accepts; delays from the default backoff (exponential
     * from 100 ms, times 2, up to 5 s, equal jitter) unless the response carries
     * {@code Retry-After}, which wins up to 30 s ({@code maxDelayHint}). Which statuses are retried
     * and which methods is the filter's business ({@link Builder#retryStatus(IntPredicate)},
     * {@link Builder#retryMethods(Set)}). A shared constant; {@code toBuilder()} adjusts it.
     */
    public static RetryPolicy idempotentRetry() {
        return IDEMPOTENT_RETRY;
    }

    /**
     * Whether {@code error} is a transient failure of the exchange, worth retrying for an idempotent
     * request: an {@link IOException} (connection refused, reset, closed before the response, an
     * unknown host), a {@link TimeoutException} (an attempt timeout, a pending-acquire timeout of
     * the connection pool), or Netty's {@link io.netty.channel.ChannelException} (its read and
     * write timeouts), found as {@code error} itself or in its cause chain, where WebClient puts them
     * (inside a {@link WebClientRequestException}). Encoding errors and the like are not transient.
     */
    public static boolean isTransientError(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 8; depth++) { // bounded: cause chains may loop
            if (t instanceof IOException || t instanceof TimeoutException
                    || t instanceof io.netty.channel.ChannelException) {
                return true;
            }
            t = t.getCause();
        }
        return false;
    }

    /**
     * Builds a resilience filter. Each setter checks its value at once: an invalid value throws
     * {@link IllegalArgumentException} naming the option and the value, a null one
     * {@link NullPointerException} naming the option. Not thread-safe; {@link #build()} may be
     * called repeatedly, each filter independent of later changes.
     */
    public static final class Builder {

        private CircuitBreakerRegistry registry;
        private CircuitBreakerConfig breakerConfig;
        private KeyStrategy keys = KeyStrategy.byHostAndPort();
        private int maxBreakers = 1000;
        private IntPredicate failureStatus = DEFAULT_FAILURE_STATUS;
        private boolean fastFailResponse;
        private RetryPolicy retry;
        private Set<HttpMethod> retryMethods = IDEMPOTENT_METHODS;
        private IntPredicate retryStatus = DEFAULT_RETRY_STATUS;
        private RetryBudget retryBudget;
        private RetryListener retryListener = RetryListener.NONE;
        private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
        /** Whether attemptTimeout was set by the caller (the default never conflicts with totalTimeout). */
        private boolean attemptTimeoutSet;
        private Duration totalTimeout;
        private Supplier<? extends Scheduler> scheduler = Schedulers::parallel;
        private Clock wallClock = Clock.systemUTC();
        private ConcurrencyLimitConfig concurrencyLimit;

        private Builder() {
        }

        /**
         * The registry the per-key breakers are created in (named {@code "http:" + key}) and removed
         * from when evicted; share it with a metrics binder to see them. Default: a new registry
         * with the {@link CircuitBreakerConfig#balanced()} default. A breaker that already exists
         * under such a name is used as it is, with its own config.
         */
        public Builder breakers(CircuitBreakerRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "breakers");
            return this;
        }

        /**
         * The config of the breakers this filter creates. Default: the registry's default config.
         * The filter adds its status classification to the config's {@code recordResult} (a
         * response is a failure if the config's own predicate or {@link #failureStatus} says so);
         * everything else, the clock included, is taken as it is.
         */
        public Builder breakerConfig(CircuitBreakerConfig config) {
            this.breakerConfig = Objects.requireNonNull(config, "breakerConfig");
            return this;
        }

        /** How requests map to breakers. Default {@link KeyStrategy#byHostAndPort()}. */
        public Builder key(KeyStrategy keys) {
            this.keys = Objects.requireNonNull(keys, "key");
            return this;
        }

        /**
         * The most breakers this filter holds, >= 1; default 1000. When a new key arrives and the
         * table is full, the least recently used CLOSED breaker is evicted (then, if none, the least
         * recently used OPEN one whose wait has elapsed) and removed from the registry; HALF_OPEN,
         * FORCED_OPEN, DISABLED and still-waiting OPEN breakers are kept. If none can be evicted, the
         * call to the new key runs without a breaker (logged once at WARN). Eviction scans the table:
         * O(maxBreakers) per new key once full; a lookup of a known key is O(1) and lock-free.
         */
        public Builder maxBreakers(int maxBreakers) {
            this.maxBreakers = Checks.atLeast("maxBreakers", maxBreakers, 1);
            return this;
        }

        /**
         * Which response statuses the breaker records as failures. Default: 500-599, 408 (request
         * timeout) and 429 (too many requests): the server is failing or overloaded. Any other
         * status is a success, 4xx included: a 404 or 400 says the server works and the request was
         * wrong. Called on every response; must be quick and thread-safe.
         */
        public Builder failureStatus(IntPredicate failureStatus) {
            this.failureStatus = Objects.requireNonNull(failureStatus, "failureStatus");
            return this;
        }

        /**
         * With {@code true}, an open breaker answers with a synthetic 503 response (no body,
         * {@code Retry-After} in whole seconds rounded up, {@value ResilienceFilter#FAST_FAIL_HEADER}
         * naming the breaker) instead of a {@link CallNotPermittedException} error, so callers that
         * already handle 503 need no new error path. Default false.
         */
        public Builder fastFailResponse(boolean fastFailResponse) {
            this.fastFailResponse = fastFailResponse;
            return this;
        }

        /**
         * Retries requests whose method is in {@link #retryMethods(Set)} as {@code policy} says: its
         * {@code retryOn} picks the errors to retry; responses with a {@link #retryStatus} are
         * retried too (in addition to any value the policy's own {@code retryOnResult} accepts). A
         * {@code Retry-After} header on a 429 or 503 response (delay-seconds, or an HTTP-date
         * counted from the response's {@code Date} header, else from the local clock) replaces the
         * backoff delay, up to the policy's {@code maxDelayHint}; the policy's own delay hint
         * applies to the other failures. If the policy has no {@code maxTotalDuration} and a
         * {@link #totalTimeout} is set, retrying stops when the next attempt could not start before
         * the total timeout. Default: no retry. See {@link ResilienceFilter#idempotentRetry()}.
         */
        public Builder retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "retry");
            return this;
        }

        /**
         * The methods that are retried. Default {@link ResilienceFilter#IDEMPOTENT_METHODS}: a
         * non-idempotent request (POST, PATCH) may have reached the server before it failed, so it is
         * retried only when added here. An empty set disables retries. A retried request re-sends
         * its body: a body that can be written once only must not be retried.
         */
        public Builder retryMethods(Set<HttpMethod> methods) {
            Objects.requireNonNull(methods, "retryMethods");
            for (HttpMethod m : methods) {
                Objects.requireNonNull(m, "retryMethods element");
            }
            this.retryMethods = Set.copyOf(methods);
            return this;
        }

        /**
         * Which response statuses are retried (when a {@link #retry} policy is set and the method
         * is retryable). Default: 408, 429, 502, 503, 504, the statuses that say "try again": the
         * server timed out waiting for the request, is rate limiting, or a gateway could not reach a
         * healthy upstream. 500 is not retried by default: it usually reports a bug that the same
         * request will hit again. Must be quick and thread-safe.
         */
        public Builder retryStatus(IntPredicate retryStatus) {
            this.retryStatus = Objects.requireNonNull(retryStatus, "retryStatus");
            return this;
        }

        /**
         * A budget every retry must fit (see {@link RetryBudget}): retries stay under a ratio of
         * recent calls, so an outage cannot multiply the load by {@code maxAttempts}. Shared by all
         * keys of this filter. Default: none.
         */
        public Builder retryBudget(RetryBudget budget) {
            this.retryBudget = Objects.requireNonNull(budget, "retryBudget");
            return this;
        }

        /**
         * Reports each call's retries and outcome to {@code listener}, as
         * {@code RetryOperator.listener} does (see {@link RetryListener}): for instance a
         * {@code dev.recloser.core.metrics.RetryMeterBinder}, bound to a meter registry, to publish
         * the filter's retries as {@code recloser.retry.*} meters. Only calls that the filter may
         * retry (a {@link #retry} policy is set and the method is in {@link #retryMethods}) are
         * reported; one call is one exchange through this filter. Called on the call path: it must
         * be quick, thread-safe and non-blocking. Default {@link RetryListener#NONE}.
         */
        public Builder retryListener(RetryListener listener) {
            this.retryListener = Objects.requireNonNull(listener, "retryListener");
            return this;
        }

        /**
         * Bounds each attempt, from subscription until the response headers arrive (reading the body
         * happens after the filter returned the response: bound it with the client's
         * {@code responseTimeout}, see {@link ReactorNettyClients}). Inside the breaker: a timeout is
         * a failure it records, and an {@link AttemptTimeoutException} the retry may retry.
         * Positive. Default: 10 s, so that a server that accepts connections and never answers is
         * a failure the breaker counts even on a client without a response timeout (Reactor
         * Netty's default has none); {@link #noAttemptTimeout()} removes it. Not longer than a
         * {@link #totalTimeout(Duration) totalTimeout} already set: this call then throws
         * {@link IllegalArgumentException} naming both values.
         */
        public Builder attemptTimeout(Duration timeout) {
            Checks.positive("attemptTimeout", timeout);
            if (totalTimeout != null && timeout.compareTo(totalTimeout) > 0) {
                throw new IllegalArgumentException("attemptTimeout must be <= totalTimeout (" + totalTimeout
                        + "), was " + timeout);
            }
            this.attemptTimeout = timeout;
            this.attemptTimeoutSet = true;
            return this;
        }

        /**
         * No attempt timeout: only for clients whose own response timeout bounds every exchange,
         * otherwise a hanging server is never recorded as a failure.
         */
        public Builder noAttemptTimeout() {
            this.attemptTimeout = null;
            this.attemptTimeoutSet = true;
            return this;
        }

        /**
         * Bounds the whole call, retries and their waits included; when it elapses the call fails
         * with {@link AttemptTimeoutException} and the attempt in flight is cancelled (its permit is
         * released, no outcome is recorded). Positive, and not shorter than an
         * {@link #attemptTimeout(Duration) attemptTimeout} set explicitly: whichever of the two
         * calls comes second throws {@link IllegalArgumentException} naming both values (a total
         * shorter than one attempt would make the attempt timeout meaningless and every retry
         * impossible). Shorter than the default attempt timeout (10 s) is allowed: then the total
         * timeout is what bounds a lone attempt. Default: none.
         */
        public Builder totalTimeout(Duration timeout) {
            Checks.positive("totalTimeout", timeout);
            if (attemptTimeoutSet && attemptTimeout != null && timeout.compareTo(attemptTimeout) < 0) {
                throw new IllegalArgumentException("totalTimeout must be >= attemptTimeout (" + attemptTimeout
                        + "), was " + timeout);
            }
            this.totalTimeout = timeout;
            return this;
        }

        /**
         * Where retry waits and timeouts are scheduled: the supplier is called at each subscription,
         * so a test can pass a virtual-time scheduler. Default {@link Schedulers#parallel()}.
         */
        public Builder scheduler(Supplier<? extends Scheduler> scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Adds an adaptive concurrency limit per key: one {@code ConcurrencyLimiter} per key of the
         * {@link #key key strategy} (host:port by default), named {@code "http:" + key}, created from
         * {@code config} on first use, at most {@link #maxBreakers(int) maxBreakers} of them (when
         * full, the least recently used limiter with no call in flight is dropped; if every one is
         * busy, a call to a new key runs without a limit, logged once at WARN). Each attempt takes a
         * permit (the limit sits inside the retry and outside the breaker, see
         * {@code Resilience.standard}); a rejected attempt fails with
         * {@code LimitExceededException} and never reaches the connection pool. A response with status
         * 429 or 503, and a {@code TimeoutException} in an error's cause chain (the attempt timeout
         * included), are drops that make the limit back off; other errors and cancellations release the
         * permit without a sample. Default: no limit.
         */
        public Builder concurrencyLimit(ConcurrencyLimitConfig config) {
            this.concurrencyLimit = Objects.requireNonNull(config, "concurrencyLimit");
            return this;
        }

        /** The wall clock that {@code Retry-After} dates are counted from when a response has no {@code Date}. */
        Builder wallClock(Clock clock) {
            this.wallClock = Objects.requireNonNull(clock, "wallClock");
            return this;
        }

        /**
         * The filter, an {@link ExchangeFilterFunction} (of a package-private class: only the
         * interface is API); register it with {@link WebClient.Builder#filter(ExchangeFilterFunction)}.
         * Its breakers live in the {@link #breakers(CircuitBreakerRegistry) registry} given here,
         * or else in one it creates, which {@link ResilienceFilter#breakersOf} returns.
         */
        public ExchangeFilterFunction build() {
            CircuitBreakerRegistry reg = registry != null ? registry : CircuitBreakerRegistry.ofDefaults();
            CircuitBreakerConfig base = breakerConfig != null ? breakerConfig : reg.defaultConfig();
            CircuitBreakerConfig config = base.toBuilder()
                    .recordResult(new FailureResponse(failureStatus, base.recordResult()))
                    .build();
            RetryPolicy effective = null;
            if (retry != null && !retryMethods.isEmpty()) {
                RetryPolicy.Builder b = retry.toBuilder()
                        .retryOnResult(new RetryResponse(retryStatus, retry.retryOnResult()))
                        .delayHint(new RetryAfterHint(retry.delayHint(), wallClock));
                if (totalTimeout != null && retry.maxTotalDuration().isEmpty()) {
                    b.maxTotalDuration(totalTimeout);
                }
                effective = b.build();
            }
            LimiterTable limiters = concurrencyLimit == null ? null
                    : new LimiterTable(concurrencyLimit, maxBreakers, OVERLOADED);
            return new ResilienceExchangeFilter(new BreakerTable(reg, config, maxBreakers), keys, effective,
                    retryMethods, retryBudget, retryListener, attemptTimeout, totalTimeout, scheduler, fastFailResponse,
                    limiters);
        }
    }

    /** A status predicate with a readable {@code toString()}. */
    private record NamedStatus(String name, IntPredicate delegate) implements IntPredicate {
        @Override
        public boolean test(int status) {
            return delegate.test(status);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The breaker's {@code recordResult}: a response with a failure status, or what the config already said. */
    private record FailureResponse(IntPredicate failureStatus, Predicate<Object> configured)
            implements Predicate<Object> {
        @Override
        public boolean test(Object value) {
            if (value instanceof ClientResponse response && failureStatus.test(response.statusCode().value())) {
                return true;
            }
            return configured != null && configured.test(value);
        }

        @Override
        public String toString() {
            return "status in [" + failureStatus + "]" + (configured != null ? " or " + configured : "");
        }
    }

    /** The retry's {@code retryOnResult}: a response with a retry status, or what the policy already said. */
    private record RetryResponse(IntPredicate retryStatus, Predicate<Object> configured)
            implements Predicate<Object> {
        @Override
        public boolean test(Object value) {
            if (value instanceof ClientResponse response && retryStatus.test(response.statusCode().value())) {
                return true;
            }
            return configured.test(value);
        }

        @Override
        public String toString() {
            return "status in [" + retryStatus + "] or " + configured;
        }
    }

    /** The retry's delay hint: {@code Retry-After} of a 429 or 503, else the policy's own hint. */
    private record RetryAfterHint(Function<Object, Duration> configured, Clock wallClock)
            implements Function<Object, Duration> {
        @Override
        public Duration apply(Object failure) {
            if (failure instanceof ClientResponse response) {
                int status = response.statusCode().value();
                if (status == 429 || status == 503) {
                    Duration hint = RetryAfter.delay(response.headers().asHttpHeaders(), wallClock);
                    if (hint != null) {
                        return hint;
                    }
                }
            }
            return configured.apply(failure);
        }

        @Override
        public String toString() {
            return "Retry-After of 429/503, else " + configured;
        }
    }
}
