package dev.recloser.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreaker.State;
import dev.recloser.core.StateTransition;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** 2 and 5 members in one JVM, each with its own Lettuce client, against one real Redis. */
class FleetTest {

    private static RedisTestServer redis;
    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, String> admin;
    private final List<Member> members = new ArrayList<>();
    private String namespace;

    @BeforeAll
    static void startRedis() {
        redis = new RedisTestServer();
        adminClient = RedisClient.create(redis.uri());
        admin = adminClient.connect();
    }

    @AfterAll
    static void stopRedis() {
        admin.close();
        adminClient.shutdown();
        redis.close();
    }

    @AfterEach
    void leave() {
        members.forEach(Member::close);
    }

    private List<Member> start(int n, TestInfo info) {
        String method = info.getTestMethod().orElseThrow().getName();
        namespace = method.substring(0, Math.min(40, method.length()));
        for (int i = 0; i < n; i++) {
            members.add(new Member(redis.uri(), namespace, "m" + i));
        }
        Await.until(Duration.ofSeconds(5), "every member connected, seeing " + n,
                () -> members.stream().allMatch(m -> m.fleet.connected() && m.fleet.stats().members() == n));
        return members;
    }

    private static long sum(List<Member> ms, java.util.function.ToLongFunction<FleetStats> f) {
        return ms.stream().mapToLong(m -> f.applyAsLong(m.fleet.stats())).sum();
    }

    private void tripFleet(List<Member> ms) {
        ms.get(0).trip();
        ms.get(1).trip();
        Await.until(Duration.ofSeconds(3), "every member OPEN by one fleet verdict", () -> ms.stream().allMatch(m -> m.state() == State.OPEN)
                && sum(ms, FleetStats::verdictsPublished) == 1);
    }

    @Test
    void oneMemberAloneDoesNotTripTheFleetTwoDo(TestInfo info) {
        List<Member> ms = start(5, info);

        ms.get(0).trip();
        assertThat(ms.get(0).state()).isEqualTo(State.OPEN);
        // Several heartbeats: the lone vote stays below the quorum of 2.
        Await.during(Duration.ofMillis(400), () -> assertThat(ms.subList(1, 5)).allSatisfy(m -> assertThat(m.state()).isEqualTo(State.CLOSED)));
        assertThat(sum(ms, FleetStats::verdictsPublished)).isZero();

        ms.get(1).trip();

        Await.until(Duration.ofSeconds(3), "every member OPEN", () -> ms.stream().allMatch(m -> m.state() == State.OPEN));
        for (Member follower : ms.subList(2, 5)) {
            assertThat(follower.transitions).singleElement().satisfies(t -> {
                assertThat(t.reason()).isEqualTo(StateTransition.Reason.FLEET);
                assertThat(t.to()).isEqualTo(State.OPEN);
            });
            assertThat(follower.fleet.stats().verdictsFollowed()).isEqualTo(1);
        }
        assertThat(sum(ms, FleetStats::verdictsPublished)).isEqualTo(1);
        // One shared deadline: every member's retry-after within a few heartbeats of the others'.
        long min = ms.stream().mapToLong(m -> m.breaker.remainingOpenDuration().toMillis()).min().orElseThrow();
        long max = ms.stream().mapToLong(m -> m.breaker.remainingOpenDuration().toMillis()).max().orElseThrow();
        assertThat(max - min).isLessThan(150);
    }

    @Test
    void atTheDeadlineOneMemberProbesAndItsCloseReachesEveryone(TestInfo info) {
        List<Member> ms = start(5, info);
        tripFleet(ms);

        Set<String> probers = new HashSet<>();
        Await.until(Duration.ofSeconds(5), "every member CLOSED", () -> {
            for (Member m : ms) {
                long p = m.breaker.tryAcquirePermit();
                if (p != CircuitBreaker.NO_PERMIT && m.state() == State.HALF_OPEN) {
                    probers.add(m.id);
                    m.breaker.onSuccess(p, 0);
                } else if (p != CircuitBreaker.NO_PERMIT) {
                    m.breaker.onSuccess(p, 0);
                }
            }
            return ms.stream().allMatch(m -> m.state() == State.CLOSED);
        });

        assertThat(probers).hasSize(1);
        assertThat(sum(ms, FleetStats::leasesWon)).isEqualTo(1);
        assertThat(sum(ms, FleetStats::leasesLost)).isGreaterThanOrEqualTo(4);
        assertThat(ms.stream().filter(m -> !probers.contains(m.id)))
                .allSatisfy(m -> assertThat(m.transitions.get(m.transitions.size() - 1).reason()).isEqualTo(StateTransition.Reason.FLEET));
    }

    @Test
    void aLeaseHolderKilledMidProbeLosesTheLeaseAndAnotherTakesOver(TestInfo info) {
        List<Member> ms = start(5, info);
        tripFleet(ms);

        List<String> probers = new ArrayList<>();
        Member[] killed = new Member[1];
        Await.until(Duration.ofSeconds(6), "every live member CLOSED", () -> {
            for (Member m : ms) {
                if (m == killed[0]) {
                    continue;
                }
                long p = m.breaker.tryAcquirePermit();
                if (p == CircuitBreaker.NO_PERMIT) {
                    continue;
                }
                if (m.state() == State.HALF_OPEN && killed[0] == null) {
                    probers.add(m.id);
                    killed[0] = m; // dies holding the trial and the lease: no verdict ever comes from it
                    m.fleet.close();
                } else if (m.state() == State.HALF_OPEN) {
                    probers.add(m.id);
                    m.breaker.onSuccess(p, 0);
                } else {
                    m.breaker.onSuccess(p, 0);
                }
            }
            return killed[0] != null && ms.stream().filter(m -> m != killed[0]).allMatch(m -> m.state() == State.CLOSED);
        });

        assertThat(probers).hasSize(2).doesNotHaveDuplicates();
        assertThat(sum(ms, FleetStats::leasesWon)).isEqualTo(2);
    }

    @Test
    void aFailedProbeReopensTheWholeFleetWithTheProbersDeadline(TestInfo info) {
        List<Member> ms = start(2, info);
        tripFleet(ms);

        Member[] prober = new Member[1];
        Await.until(Duration.ofSeconds(3), "a probe", () -> {
            for (Member m : ms) {
                long p = m.breaker.tryAcquirePermit();
                if (p != CircuitBreaker.NO_PERMIT) {
                    prober[0] = m;
                    m.breaker.onError(p, 0, new RuntimeException("still down"));
                    return true;
                }
            }
            return false;
        });
        Member other = ms.get(0) == prober[0] ? ms.get(1) : ms.get(0);

        // The other member was held (lease lost), then follows the prober's re-open: a deadline a
        // full open wait away, not its own held one that ends with the lease.
        Await.until(Duration.ofSeconds(2), "the follower's deadline moved to the re-open",
                () -> other.breaker.remainingOpenDuration().toMillis() > Member.OPEN_WAIT.toMillis() - 200);
        assertThat(other.state()).isEqualTo(State.OPEN);
        assertThat(Math.abs(other.breaker.remainingOpenDuration().toMillis()
                - prober[0].breaker.remainingOpenDuration().toMillis())).isLessThan(150);
        assertThat(other.breaker.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);
    }

    @Test
    void aFloodOfMalformedMessagesIsDroppedAndCountedAndTheFleetStillWorks(TestInfo info) {
        List<Member> ms = start(2, info);
        String channel = "rcl:{" + namespace + "}:verdicts";
        AtomicInteger sent = new AtomicInteger();
        String big = "rf1|OPEN|1|99999999999999|x|FAILURE_RATE|50|0|" + "i".repeat(5000);
        String[] junk = {"", "hello", "rf1|OPEN", "rf2|OPEN|1|1|x|R|1|1|inventory", "rf1|SHUT|1|1|x|R|1|1|inventory",
            "rf1|OPEN|x|1|x|R|1|1|inventory", "rf1|OPEN|-4|1|x|R|1|1|inventory", "rf1|OPEN|1|1||R|1|1|inventory",
            "rf1|OPEN|1|1|x|R|NaN|1|inventory", big, "\u0000\u0001\u0002|||||||||", "rf1|CLOSED|1|1|x|R|1|1|"};
        for (int i = 0; i < 200; i++) {
            for (String m : junk) {
                admin.sync().publish(channel, m);
                sent.incrementAndGet();
            }
        }
        // Well-formed, but for a breaker nobody has: ignored, not dropped.
        admin.sync().publish(channel, "rf1|OPEN|7|99999999999999|intruder|FAILURE_RATE|50|0|payments");

        Await.until(Duration.ofSeconds(10), "every message dropped or ignored", () -> ms.stream().allMatch(m ->
                m.fleet.stats().messagesDropped() == sent.get() && m.fleet.stats().verdictsIgnored() == 1));
        assertThat(ms).allSatisfy(m -> assertThat(m.state()).isEqualTo(State.CLOSED));

        tripFleet(ms);
        assertThat(sum(ms, FleetStats::verdictsPublished)).isEqualTo(1);
    }
}
