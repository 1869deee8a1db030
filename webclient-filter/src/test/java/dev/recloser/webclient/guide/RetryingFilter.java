package dev.recloser.webclient.guide;

import dev.recloser.core.metrics.RetryMeterBinder;
import dev.recloser.core.retry.RetryBudget;
import dev.recloser.webclient.ResilienceFilter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

public class RetryingFilter {

    public static ExchangeFilterFunction create(MeterRegistry meters) {
        RetryMeterBinder retryMetrics = RetryMeterBinder.of("inventory");   // recloser.retry.* meters
        retryMetrics.bindTo(meters);
        return ResilienceFilter.builder()
                .retry(ResilienceFilter.idempotentRetry())      // or your own RetryPolicy
                .retryMethods(Set.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.POST))   // POST only if safe!
                .retryBudget(RetryBudget.of(0.2, 10))          // retries <= 20% of calls + 10/s
                .retryListener(retryMetrics)
                .build();
    }
}
