package dev.recloser.redis;

/**
 * A snapshot of a fleet member's counters, since it was built.
 *
 * @param connected         whether the store answered the last heartbeat (false: local-only)
 * @param members           live members seen by the last successful heartbeat (this one included)
 * @param verdictsPublished OPEN or CLOSE verdicts this instance published (quorum reached, or its probe's verdict)
 * @param verdictsFollowed  other instances' verdicts applied to a breaker here
 * @param verdictsIgnored   well-formed verdicts not applied (unknown breaker, manual state, stale epoch, deadline past, disconnected)
 * @param leasesWon         probe leases this instance won
 * @param leasesLost        probe lease attempts another instance held
 * @param messagesDropped   malformed, oversized or foreign-version messages (never applied)
 * @param storeErrors       store commands that failed or timed out (each one left the call path alone)
 */
public record FleetStats(boolean connected, int members, long verdictsPublished, long verdictsFollowed,
                         long verdictsIgnored, long leasesWon, long leasesLost, long messagesDropped,
                         long storeErrors) {
}
