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
