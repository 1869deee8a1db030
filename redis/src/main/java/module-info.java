/**
 * Recloser fleet mode over Redis: breakers of many instances share open verdicts by quorum, probe
 * once per deadline through a lease, and know their live members by heartbeat keys. Built on
 * Lettuce's reactive client; the call path never touches the store.
 */
// requires-automatic: Lettuce and micrometer-core ship an Automatic-Module-Name, no module-info.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.recloser.redis {
    requires transitive dev.recloser.core;
    requires transitive lettuce.core;
    requires reactor.core;
    requires org.slf4j;
    requires static micrometer.core;

    exports dev.recloser.redis;
}
