/**
 * The fleet SPI: how a shared store (Redis, or anything else) drives a breaker by the verdicts of
 * other instances. Store-neutral; no Reactor, no I/O. See {@link dev.recloser.core.fleet.FleetControl}.
 */
package dev.recloser.core.fleet;
