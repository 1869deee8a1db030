/**
 * Recloser's Reactor operators: circuit breaker, retry, timeout and bulkhead for {@code Mono} and
 * {@code Flux}, and their composition ({@code Resilience}). Exports its API package only.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // reactor-core and reactive-streams ship Automatic-Module-Names
module dev.recloser.reactor {
    requires transitive dev.recloser.core;
    requires transitive reactor.core;
    requires transitive org.reactivestreams;
    requires static org.jspecify;

    exports dev.recloser.reactor;
}
