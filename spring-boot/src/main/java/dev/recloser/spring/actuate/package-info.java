/**
 * Actuator support: the {@code circuitbreakers} endpoint (read and write), the
 * {@code circuitbreakerevents} endpoint (recent transitions) and the {@code recloser} health
 * contributor. Active only with Spring Boot Actuator on the class path.
 */
package dev.recloser.spring.actuate;
