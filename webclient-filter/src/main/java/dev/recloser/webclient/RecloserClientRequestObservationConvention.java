package dev.recloser.webclient;

import dev.recloser.core.CallNotPermittedException;
import io.micrometer.common.KeyValue;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;

/**
 * Spring's {@code http.client.requests} observation convention, with a distinct {@code outcome}
 * for a call that a Recloser filter answered itself because a breaker was open:
 * {@value #CIRCUIT_OPEN} instead of Spring's {@code UNKNOWN} (the {@link CallNotPermittedException}
 * error) or {@code SERVER_ERROR} (the {@link ResilienceFilter.Builder#fastFailResponse synthetic 503}).
 * Every other key value is Spring's own, so a fast fail keeps {@code status=CLIENT_ERROR} and
 * {@code exception=CallNotPermittedException} (the error case) or {@code status=503} (the synthetic
 * response), and dashboards that split by {@code outcome} can tell "the server failed" from "we did
 * not call it".
 *
 * <pre>{@code
 * WebClient client = WebClient.builder()
 *         .observationRegistry(observationRegistry)
 *         .observationConvention(new RecloserClientRequestObservationConvention())
 *         .filter(ResilienceFilter.builder().build())
 *         .build();
 * }</pre>
 *
 * <p>One observation covers one WebClient call, the filter's retries and waits included: Spring
 * observes around the whole filter chain, so retries are not separate observations (count them
 * with {@link ResilienceFilter.Builder#retryListener}). Stateless and thread-safe.
 */
public class RecloserClientRequestObservationConvention extends DefaultClientRequestObservationConvention {

    /** The {@code outcome} of a call an open breaker answered. */
    public static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";

    private static final KeyValue OUTCOME_CIRCUIT_OPEN = KeyValue.of("outcome", CIRCUIT_OPEN);

    /** The convention with Spring's default name, {@code http.client.requests}. */
    public RecloserClientRequestObservationConvention() {
    }

    /** The convention with the observation name {@code name}. */
    public RecloserClientRequestObservationConvention(String name) {
        super(name);
    }

    @Override
    protected KeyValue outcome(ClientRequestObservationContext context) {
        if (context.getError() instanceof CallNotPermittedException) {
            return OUTCOME_CIRCUIT_OPEN;
        }
        ClientResponse response = context.getResponse();
        if (response != null && !response.headers().header(ResilienceFilter.FAST_FAIL_HEADER).isEmpty()) {
            return OUTCOME_CIRCUIT_OPEN;
        }
        return super.outcome(context);
    }
}
