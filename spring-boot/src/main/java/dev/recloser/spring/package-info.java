/**
 * Spring Boot auto-configuration of Recloser: {@code recloser.*} properties
 * ({@link dev.recloser.spring.RecloserProperties}), the {@link dev.recloser.core.CircuitBreakerRegistry}
 * bean, the resilience filter on every auto-configured {@code WebClient.Builder}, meters, and the
 * {@link dev.recloser.spring.Recloser} bean that hands out Reactor operators by name.
 */
package dev.recloser.spring;
