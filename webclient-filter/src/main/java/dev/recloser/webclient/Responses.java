package dev.recloser.webclient;

import dev.recloser.core.CallNotPermittedException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.util.context.ContextView;

/** The responses the filter makes, and the release of those it drops. */
final class Responses {

    private Responses() {
    }

    /**
     * Releases the body of a response nobody will read, so that its pooled connection goes back to
     * the pool (a body that was never subscribed keeps its connection) and its buffers are freed.
     * Used as the {@code doOnDiscard} hook of every exchange. Never throws: a body already released
     * (for instance by the connector when the exchange was cancelled after the response arrived)
     * makes {@code releaseBody()} fail with an exception, which is expected and ignored; an
     * {@link Error} is not swallowed but goes to Reactor's dropped-error hook.
     */
    static final Consumer<ClientResponse> RELEASE = response -> {
        try {
            response.releaseBody().onErrorComplete(e -> !(e instanceof Error)).subscribe();
        } catch (RuntimeException alreadyGone) {
            // A custom ClientResponse may throw instead of signalling; there is nothing left to free.
        }
    };

    /**
     * The response an open breaker answers with in fast-fail-response mode: 503, no body,
     * {@code Retry-After} in whole seconds rounded up from the breaker's retry-after (at least 1:
     * a breaker that rejects now should not invite an immediate retry), and
     * {@value ResilienceFilter#FAST_FAIL_HEADER} naming the breaker.
     */
    static ClientResponse fastFail(CallNotPermittedException rejection, ClientRequest request) {
        return ClientResponse.create(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(rejection.retryAfter())))
                .header(ResilienceFilter.FAST_FAIL_HEADER, rejection.breakerName())
                .header(HttpHeaders.CONTENT_LENGTH, "0")
                .request(new RequestView(request))
                .build();
    }

    /**
     * {@code response}, after handing it to the WebClient observation of this call, if there is one
     * in {@code context} (Spring puts the call's observation there under
     * {@link ObservationThreadLocalAccessor#KEY}): Spring records a call's response where it leaves
     * the last filter, which a synthetic response never reaches, so without this the observation
     * would show no response at all ({@code status=CLIENT_ERROR}, {@code outcome=UNKNOWN}).
     */
    static ClientResponse observed(ContextView context, ClientResponse response) {
        // KEY is a compile-time constant, inlined: ObservationThreadLocalAccessor itself (which needs
        // the context-propagation library) is never loaded.
        Object o = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
        if (o instanceof Observation observation
                && observation.getContext() instanceof ClientRequestObservationContext clientContext) {
            clientContext.setResponse(response);
        }
        return response;
    }

    /** Whole seconds, rounded up, at least 1. */
    static long retryAfterSeconds(Duration retryAfter) {
        long seconds = retryAfter.getSeconds();
        if (retryAfter.getNano() > 0) {
            seconds++;
        }
        return Math.max(1L, seconds);
    }

    /** A {@link ClientRequest} seen as the {@link HttpRequest} a built {@link ClientResponse} refers to. */
    private record RequestView(ClientRequest request) implements HttpRequest {
        @Override
        public HttpMethod getMethod() {
            return request.method();
        }

        @Override
        public URI getURI() {
            return request.url();
        }

        @Override
        public Map<String, Object> getAttributes() {
            return request.attributes();
        }

        @Override
        public HttpHeaders getHeaders() {
            return request.headers();
        }
    }
}
