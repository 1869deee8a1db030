package dev.recloser.webclient.guide;

import dev.recloser.webclient.RecloserClientRequestObservationConvention;
import dev.recloser.webclient.ResilienceFilter;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.web.reactive.function.client.WebClient;

public class ObservedClient {

    public static WebClient create(ObservationRegistry observations) {
        return WebClient.builder()
                .observationRegistry(observations)                   // Spring's http.client.requests
                .observationConvention(new RecloserClientRequestObservationConvention())   // outcome=CIRCUIT_OPEN
                .filter(ResilienceFilter.builder().build())
                .build();
    }
}
