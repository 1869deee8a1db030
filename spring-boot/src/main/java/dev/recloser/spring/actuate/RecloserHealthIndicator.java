package dev.recloser.spring.actuate;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerRegistry;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code recloser} health contributor: the state of every breaker in its details, and a status
 * of {@code openStatus} when any breaker is OPEN or FORCED_OPEN, else {@code halfOpenStatus} when
 * any is HALF_OPEN, else UP.
 *
 * <p>The default open status, {@code CIRCUIT_OPEN}, is not in Spring Boot's default status order
 * ({@code management.endpoint.health.status.order}), so the aggregate ignores it: the application
 * stays UP while a dependency is down (restarting every instance would not bring the dependency
 * back), and {@code /actuator/health/recloser} answers 200 with the status in the body. With
 * {@code recloser.health.open-status=DOWN} an open breaker fails the application's health (503).
 */
public class RecloserHealthIndicator implements HealthIndicator {

    private final CircuitBreakerRegistry registry;
    private final Status openStatus;
    private final Status halfOpenStatus;

    /**
     * @param registry       the breakers
     * @param openStatus     the status while any breaker is OPEN or FORCED_OPEN
     * @param halfOpenStatus the status while any breaker is HALF_OPEN and none open
     */
    public RecloserHealthIndicator(CircuitBreakerRegistry registry, Status openStatus, Status halfOpenStatus) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.openStatus = Objects.requireNonNull(openStatus, "openStatus");
        this.halfOpenStatus = Objects.requireNonNull(halfOpenStatus, "halfOpenStatus");
    }

    @Override
    public Health health() {
        boolean open = false;
        boolean halfOpen = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (CircuitBreaker b : registry.all().stream().sorted(Comparator.comparing(CircuitBreaker::name)).toList()) {
            Map<String, Object> view = BreakerViews.of(b);
            CircuitBreaker.State s = CircuitBreaker.State.valueOf((String) view.get("state"));
            open |= s == CircuitBreaker.State.OPEN || s == CircuitBreaker.State.FORCED_OPEN;
            halfOpen |= s == CircuitBreaker.State.HALF_OPEN;
            details.put(b.name(), view);
        }
        Status status = open ? openStatus : halfOpen ? halfOpenStatus : Status.UP;
        return Health.status(status).withDetails(Map.of("circuitBreakers", details)).build();
    }
}
