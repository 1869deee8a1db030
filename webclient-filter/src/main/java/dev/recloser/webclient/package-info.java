/**
 * Resilience for Spring's {@code WebClient}: {@link dev.recloser.webclient.ResilienceFilter}, an
 * {@code ExchangeFilterFunction} with per-destination circuit breakers, retries of idempotent
 * requests honouring {@code Retry-After}, and attempt and total timeouts; and
 * {@link dev.recloser.webclient.ReactorNettyClients}, bounded defaults for the Reactor Netty client
 * underneath. Built on {@code dev.recloser.reactor}'s operators; see {@code docs/webclient.md}.
 */
package dev.recloser.webclient;
