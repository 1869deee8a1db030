/**
 * Fleet mode over Redis in Spring Boot: {@code recloser.fleet.*}, on when
 * {@code recloser.fleet.redis.uri} is set and {@code recloser-redis} is on the class path.
 */
package dev.recloser.spring.fleet;
