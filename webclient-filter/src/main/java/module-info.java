/**
 * Recloser's WebClient filter: an {@code ExchangeFilterFunction} with a breaker per host, idempotent
 * retries honouring {@code Retry-After}, attempt and total timeouts; and Reactor Netty client
 * defaults. Exports its API package only.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Spring and Reactor Netty ship Automatic-Module-Names
module dev.recloser.webclient {
    requires transitive dev.recloser.reactor;
    requires transitive spring.webflux;
    requires transitive spring.web;
    requires transitive spring.core;
    requires transitive reactor.netty.http;
    requires transitive reactor.netty.core;
    requires io.netty.transport;
    requires org.slf4j;
    requires transitive micrometer.observation; // RecloserClientRequestObservationConvention's API
    requires transitive micrometer.commons;

    exports dev.recloser.webclient;
}
