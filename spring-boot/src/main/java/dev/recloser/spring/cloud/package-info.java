/**
 * A Spring Cloud CircuitBreaker implementation ({@code ReactiveCircuitBreakerFactory}) on Recloser's
 * registry; active only with {@code spring-cloud-commons} on the class path.
 */
package dev.recloser.spring.cloud;
