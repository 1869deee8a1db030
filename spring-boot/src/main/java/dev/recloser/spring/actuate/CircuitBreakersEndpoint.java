package dev.recloser.spring.actuate;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerRegistry;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code circuitbreakers} endpoint: every breaker of the registry with its state, rates (absent
 * below the minimum number of calls), buffered, failed, slow and not-permitted calls and remaining
 * open time; {@code GET /actuator/circuitbreakers/{name}} one breaker; and
 * {@code POST /actuator/circuitbreakers/{name}} with {@code {"action": "..."}} a manual transition:
 * {@code force-open}, {@code open} (for the configured wait, then half-open as after a trip),
 * {@code disable}, {@code close} or {@code reset}. Like every endpoint it is reachable over HTTP only
 * once exposed ({@code management.endpoints.web.exposure.include}); secure it like any write
 * endpoint.
 */
@Endpoint(id = "circuitbreakers")
public class CircuitBreakersEndpoint {

    private final CircuitBreakerRegistry registry;

    /** An endpoint over {@code registry}. */
    public CircuitBreakersEndpoint(CircuitBreakerRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Every breaker, sorted by name: {@code {"circuitBreakers": {name: {...}}}}. */
    @ReadOperation
    public Map<String, Object> circuitBreakers() {
        Map<String, Object> all = new LinkedHashMap<>();
        List<CircuitBreaker> sorted = registry.all().stream().sorted(Comparator.comparing(CircuitBreaker::name)).toList();
        for (CircuitBreaker b : sorted) {
            all.put(b.name(), BreakerViews.of(b));
        }
        return Map.of("circuitBreakers", all);
    }

    /** One breaker, or {@code null} (HTTP 404) if there is none of that name. */
    @ReadOperation
    public @Nullable Map<String, Object> circuitBreaker(@Selector String name) {
        return registry.find(name).map(BreakerViews::of).orElse(null);
    }

    /**
     * Moves one breaker by hand and returns its view afterwards.
     *
     * @param name   the breaker
     * @param action force-open, open, disable, close or reset (case and {@code _}/{@code -} ignored)
     * @throws InvalidEndpointRequestException (HTTP 400) for an unknown breaker or action
     */
    @WriteOperation
    public Map<String, Object> transition(@Selector String name, String action) {
        CircuitBreaker b = registry.find(name).orElseThrow(() -> new InvalidEndpointRequestException(
                "no circuit breaker '" + name + "'", "no such circuit breaker"));
        String a = action.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (a) {
            case "force-open" -> b.transitionToForcedOpen();
            case "open" -> b.transitionToOpen();
            case "disable" -> b.transitionToDisabled();
            case "close" -> b.transitionToClosed();
            case "reset" -> b.reset();
            default -> throw new InvalidEndpointRequestException("action must be one of force-open, open, disable,"
                    + " close, reset; was " + action, "unknown action");
        }
        return BreakerViews.of(b);
    }
}
