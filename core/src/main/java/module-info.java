/**
 * Recloser core: a lock-free circuit breaker, sliding windows, retry policy, retry budget,
 * bulkhead and adaptive concurrency limit. Depends on SLF4J; Micrometer is optional (only {@code dev.recloser.core.metrics} uses it).
 */
// requires-automatic: micrometer-core ships an Automatic-Module-Name, no module-info. module: the
// qualified export names modules built after this one, which javac warns it cannot see yet.
@SuppressWarnings({"requires-automatic", "module"})
module dev.recloser.core {
    requires org.slf4j;
    requires static micrometer.core;

    exports dev.recloser.core;
    exports dev.recloser.core.internal to dev.recloser.reactor, dev.recloser.webclient;
    exports dev.recloser.core.retry;
    exports dev.recloser.core.limit;
    exports dev.recloser.core.metrics;
    exports dev.recloser.core.fleet;
}
