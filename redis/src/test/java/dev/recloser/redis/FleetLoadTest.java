package dev.recloser.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreaker.State;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The store's load for one outage (trip by quorum, one probe lease, close) with N members against
 * one real Redis, from Redis's own counters ({@code INFO commandstats} and {@code INFO stats}),
 * minus a quiet period of the same length (heartbeats only). Members share one Lettuce client
 * (lighter than one client each). N is {@code -Drecloser.fleet.loadMembers} (default 20, kept small
 * for CI; the figures in docs/fleet.md are from 100 and 300).
 */
class FleetLoadTest {

    private static Map<String, Long> counters(StatefulRedisConnection<String, String> admin) {
        Map<String, Long> m = new TreeMap<>();
        for (String line : (admin.sync().info("commandstats") + admin.sync().info("stats")).split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring(8, line.indexOf(':'));
                String calls = line.substring(line.indexOf("calls=") + 6, line.indexOf(','));
                m.put(name, Long.parseLong(calls));
            } else if (line.startsWith("total_commands_processed:") || line.startsWith("total_net_input_bytes:")
                    || line.startsWith("total_net_output_bytes:")) {
                String[] kv = line.split(":");
                m.put(kv[0], Long.parseLong(kv[1].trim()));
            }
        }
        return m;
    }

    private static Map<String, Long> delta(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
        return d;
    }

    @Test
    void storeLoadOfOneOutage() {
        int n = Integer.getInteger("recloser.fleet.loadMembers", 20);
        try (RedisTestServer redis = new RedisTestServer()) {
            RedisClient shared = RedisClient.create(redis.uri());
            RedisClient adminClient = RedisClient.create(redis.uri());
            List<Member> ms = new ArrayList<>();
            try (StatefulRedisConnection<String, String> admin = adminClient.connect()) {
                for (int i = 0; i < n; i++) {
                    ms.add(new Member(RedisFleet.builder(shared, redis.uri()), "load", "m" + i,
                            b -> b.heartbeat(Duration.ofMillis(500))));
                }
                Await.until(Duration.ofSeconds(30), "all connected", () -> ms.stream().allMatch(m -> m.fleet.connected()
                        && m.fleet.stats().members() == n));

                long t0 = System.nanoTime();
                Map<String, Long> before = counters(admin);
                ms.get(0).trip();
                ms.get(1).trip();
                Await.until(Duration.ofSeconds(10), "all open", () -> ms.stream().allMatch(m -> m.state() == State.OPEN));
                Await.until(Duration.ofSeconds(10), "all closed after one probe", () -> {
                    for (Member m : ms) {
                        long p = m.breaker.tryAcquirePermit();
                        if (p != CircuitBreaker.NO_PERMIT) {
                            m.breaker.onSuccess(p, 0);
                        }
                    }
                    return ms.stream().allMatch(m -> m.state() == State.CLOSED);
                });
                long outageNanos = System.nanoTime() - t0;
                Map<String, Long> outage = delta(counters(admin), before);

                Map<String, Long> quietBefore = counters(admin);
                Await.during(Duration.ofNanos(outageNanos), () -> { });
                Map<String, Long> quiet = delta(counters(admin), quietBefore);

                Map<String, Long> attributable = new TreeMap<>();
                outage.forEach((k, v) -> attributable.put(k, v - quiet.getOrDefault(k, 0L)));
                System.out.printf("FLEET LOAD n=%d outage=%d ms%n  outage: %s%n  quiet:  %s%n  outage minus quiet: %s%n",
                        n, outageNanos / 1_000_000, outage, quiet, attributable);
                long leases = ms.stream().mapToLong(m -> m.fleet.stats().leasesWon()).sum();
                assertThat(leases).isEqualTo(1);
            } finally {
                ms.forEach(Member::close);
                adminClient.shutdown();
                shared.shutdownAsync();
            }
        }
    }
}
