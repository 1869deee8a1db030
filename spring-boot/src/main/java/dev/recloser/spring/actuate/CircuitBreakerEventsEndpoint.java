package dev.recloser.spring.actuate;

import dev.recloser.spring.TransitionLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code circuitbreakerevents} endpoint: the most recent state transitions of every breaker,
 * oldest first, at most {@code recloser.events.capacity} of them (kept in memory, the oldest
 * dropped); {@code /actuator/circuitbreakerevents/{name}} those of one breaker.
 */
@Endpoint(id = "circuitbreakerevents")
public class CircuitBreakerEventsEndpoint {

    private final TransitionLog log;

    /** An endpoint over {@code log}. */
    public CircuitBreakerEventsEndpoint(TransitionLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Every recent transition: {@code {"events": [{sequence, time, name, from, to, reason}, ...]}}. */
    @ReadOperation
    public Map<String, Object> events() {
        return Map.of("events", views(null));
    }

    /** The recent transitions of one breaker (an empty list if it has none or does not exist). */
    @ReadOperation
    public Map<String, Object> eventsOf(@Selector String name) {
        return Map.of("events", views(name));
    }

    private List<Map<String, Object>> views(String name) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (TransitionLog.Entry e : log.entries()) {
            if (name == null || name.equals(e.breakerName())) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("sequence", e.sequence());
                v.put("time", e.time().toString());
                v.put("name", e.breakerName());
                v.put("from", e.from().name());
                v.put("to", e.to().name());
                v.put("reason", e.reason().name());
                list.add(v);
            }
        }
        return list;
    }
}
