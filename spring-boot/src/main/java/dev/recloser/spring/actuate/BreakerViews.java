package dev.recloser.spring.actuate;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shape of one breaker, shared by the endpoint and the health details. */
final class BreakerViews {

    private BreakerViews() {
    }

    /**
     * State, rates (absent, not -1, below the minimum number of calls), counters, remaining open
     * time in milliseconds, and tags.
     */
    static Map<String, Object> of(CircuitBreaker breaker) {
        CircuitBreakerMetrics m = breaker.metrics();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("state", m.state().name());
        m.failureRate().ifPresent(r -> view.put("failureRate", r));
        m.slowCallRate().ifPresent(r -> view.put("slowCallRate", r));
        view.put("failureRateThreshold", breaker.config().failureRateThreshold());
        view.put("minimumNumberOfCalls", m.minimumNumberOfCalls());
        view.put("bufferedCalls", m.bufferedCalls());
        view.put("failedCalls", m.failedCalls());
        view.put("slowCalls", m.slowCalls());
        view.put("notPermittedCalls", m.notPermittedCalls());
        view.put("consecutiveFailures", m.consecutiveFailures());
        view.put("remainingOpenMillis", m.remainingOpenDuration().toMillis());
        view.put("metricsOnly", breaker.config().metricsOnly());
        if (!breaker.tags().isEmpty()) {
            view.put("tags", breaker.tags());
        }
        return view;
    }
}
