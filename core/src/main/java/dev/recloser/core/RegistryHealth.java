package dev.recloser.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The health of a registry's breakers: a stable, JSON-friendly value (records of strings, numbers
 * and lists; absent rates are {@code null}, never -1).
 *
 * <p>Verdicts. A breaker is {@link Verdict#CRITICAL} when OPEN or FORCED_OPEN,
 * {@link Verdict#DEGRADED} when HALF_OPEN or when its failure or slow-call rate has reached half of
 * its threshold, {@link Verdict#HEALTHY} otherwise (DISABLED included: it admits everything).
 * Overall: CRITICAL when at least half of the breakers (and at least one) are CRITICAL, DEGRADED when
 * any breaker is not HEALTHY, HEALTHY otherwise (also with no breakers).
 *
 * @param status   the overall verdict
 * @param states   the number of breakers in each state (every state present, zeros included)
 * @param breakers one entry per breaker, sorted by name
 */
public record RegistryHealth(Verdict status, Map<CircuitBreaker.State, Integer> states, List<BreakerHealth> breakers) {

    /** A health verdict. */
    public enum Verdict { HEALTHY, DEGRADED, CRITICAL }

    public RegistryHealth {
        states = Collections.unmodifiableMap(new EnumMap<>(states));
        breakers = List.copyOf(breakers);
    }

    /**
     * This health as compact JSON with a stable shape and field order, for services that expose it
     * without a JSON library:
     * <pre>{@code
     * {"status":"DEGRADED","states":{"CLOSED":3,"OPEN":1,"HALF_OPEN":0,"FORCED_OPEN":0,"DISABLED":0},
     *  "breakers":[{"name":"inventory","state":"OPEN","status":"CRITICAL","failureRate":62.5,
     *               "slowCallRate":0.0,"bufferedCalls":40,"notPermittedCalls":17,"retryAfterMillis":12300}]}
     * }</pre>
     * Absent rates are {@code null}. Record-aware serializers (Jackson) produce the same fields.
     */
    public String toJson() {
        StringBuilder json = new StringBuilder(128 + 192 * breakers.size());
        json.append("{\"status\":\"").append(status).append("\",\"states\":{");
        boolean first = true;
        for (CircuitBreaker.State s : CircuitBreaker.State.values()) {
            json.append(first ? "" : ",").append('"').append(s).append("\":").append(states.getOrDefault(s, 0));
            first = false;
        }
        json.append("},\"breakers\":[");
        for (int i = 0; i < breakers.size(); i++) {
            BreakerHealth b = breakers.get(i);
            json.append(i == 0 ? "" : ",").append("{\"name\":");
            quote(json, b.name());
            json.append(",\"state\":\"").append(b.state()).append("\",\"status\":\"").append(b.status())
                    .append("\",\"failureRate\":").append(b.failureRate())
                    .append(",\"slowCallRate\":").append(b.slowCallRate())
                    .append(",\"bufferedCalls\":").append(b.bufferedCalls())
                    .append(",\"notPermittedCalls\":").append(b.notPermittedCalls())
                    .append(",\"retryAfterMillis\":").append(b.retryAfterMillis()).append('}');
        }
        return json.append("]}").toString();
    }

    private static void quote(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    static RegistryHealth of(Map<CircuitBreaker.State, Integer> states, List<BreakerHealth> breakers) {
        int critical = 0;
        int notHealthy = 0;
        for (BreakerHealth b : breakers) {
            if (b.status() == Verdict.CRITICAL) {
                critical++;
            }
            if (b.status() != Verdict.HEALTHY) {
                notHealthy++;
            }
        }
        Verdict overall = critical > 0 && critical * 2 >= breakers.size() ? Verdict.CRITICAL
                : notHealthy > 0 ? Verdict.DEGRADED : Verdict.HEALTHY;
        return new RegistryHealth(overall, states, breakers);
    }

    /**
     * One breaker's health.
     *
     * @param name              the breaker's name
     * @param state             its state
     * @param status            its verdict
     * @param failureRate       percent, or {@code null} below the minimum number of calls
     * @param slowCallRate      percent, or {@code null} below the minimum number of calls
     * @param bufferedCalls     outcomes in its window
     * @param notPermittedCalls rejected calls since creation or reset
     * @param retryAfterMillis  {@link CircuitBreaker#remainingOpenDuration()} in milliseconds
     */
    public record BreakerHealth(String name, CircuitBreaker.State state, Verdict status, Double failureRate,
                                Double slowCallRate, long bufferedCalls, long notPermittedCalls,
                                long retryAfterMillis) {

        static BreakerHealth of(CircuitBreaker b) {
            CircuitBreakerMetrics m = b.metrics();
            CircuitBreakerConfig c = b.config();
            Double failure = m.failureRate().isPresent() ? m.failureRate().getAsDouble() : null;
            Double slow = m.slowCallRate().isPresent() ? m.slowCallRate().getAsDouble() : null;
            Verdict v = switch (m.state()) {
                case OPEN, FORCED_OPEN -> Verdict.CRITICAL;
                case HALF_OPEN -> Verdict.DEGRADED;
                case DISABLED -> Verdict.HEALTHY;
                case CLOSED -> (failure != null && failure * 2 >= c.failureRateThreshold())
                        || (slow != null && slow * 2 >= c.slowCallRateThreshold())
                        ? Verdict.DEGRADED : Verdict.HEALTHY;
            };
            return new BreakerHealth(b.name(), m.state(), v, failure, slow, m.bufferedCalls(),
                    m.notPermittedCalls(), m.remainingOpenDuration().toMillis());
        }
    }
}
