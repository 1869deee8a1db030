package dev.recloser.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreaker.State;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The store failing during an outage: stopped and restarted, or paused longer than the heartbeat.
 * No call blocks or fails because of it (calls run on Reactor's non-blocking parallel threads, with
 * BlockHound on), each breaker falls back to local decisions, and the fleet reconciles afterwards.
 */
class FleetOutageTest {

    private RedisTestServer redis;
    private Member a;
    private Member b;

    @BeforeEach
    void start() {
        redis = new RedisTestServer();
        a = new Member(redis.uri(), "outage", "a");
        b = new Member(redis.uri(), "outage", "b");
        Await.until(Duration.ofSeconds(5), "both connected", () -> a.fleet.connected() && b.fleet.connected()
                && a.fleet.stats().members() == 2 && b.fleet.stats().members() == 2);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        redis.close();
    }

    /**
     * Calls through both breakers on parallel (non-blocking) threads: every one returns at once,
     * admitted or rejected by the breaker itself, never failed by the store. Returns the slowest
     * call in nanoseconds.
     */
    private static long callsOnNonBlockingThreads(Member... ms) {
        AtomicLong slowest = new AtomicLong();
        Flux.range(0, 400)
                .parallel(2).runOn(Schedulers.parallel())
                .doOnNext(i -> {
                    for (Member m : ms) {
                        long t0 = System.nanoTime();
                        long p = m.breaker.tryAcquirePermit();
                        if (p == CircuitBreaker.NO_PERMIT) {
                            m.breaker.callNotPermitted();
                        } else {
                            m.breaker.releasePermit(p);
                        }
                        slowest.accumulateAndGet(System.nanoTime() - t0, Math::max);
                    }
                })
                .sequential().then().block(Duration.ofSeconds(10));
        return slowest.get();
    }

    private void fleetOpen() {
        a.trip();
        b.trip();
        Await.until(Duration.ofSeconds(3), "a fleet verdict",
                () -> a.fleet.stats().verdictsPublished() + b.fleet.stats().verdictsPublished() == 1);
    }

    @Test
    void redisStoppedAndRestartedDuringAnOutage() {
        fleetOpen();

        redis.stop();

        Await.until(Duration.ofSeconds(2), "both local-only", () -> !a.fleet.connected() && !b.fleet.connected());
        assertThat(callsOnNonBlockingThreads(a, b)).isLessThan(Duration.ofMillis(50).toNanos());
        // Local fallback: without the store there is no lease, so each breaker probes for itself at
        // its deadline; both fail their trial and re-open locally.
        for (Member m : List.of(a, b)) {
            Await.until(Duration.ofSeconds(3), m.id + " probes locally", () -> {
                long p = m.breaker.tryAcquirePermit();
                if (p != CircuitBreaker.NO_PERMIT) {
                    m.breaker.onError(p, 0, new RuntimeException("still down"));
                    return true;
                }
                return false;
            });
            assertThat(m.state()).isEqualTo(State.OPEN);
        }
        long publishedBefore = a.fleet.stats().verdictsPublished() + b.fleet.stats().verdictsPublished();
        long followedBefore = a.fleet.stats().verdictsFollowed() + b.fleet.stats().verdictsFollowed();

        redis.start(); // same port, no data: every key is gone

        Await.until(Duration.ofSeconds(5), "both reconnected", () -> a.fleet.connected() && b.fleet.connected());
        // Reconcile: both breakers are open here without a fleet verdict, so both vote again and the
        // quorum of 2 is met on the fresh store.
        Await.until(Duration.ofSeconds(3), "a verdict after the restart",
                () -> a.fleet.stats().verdictsPublished() + b.fleet.stats().verdictsPublished() == publishedBefore + 1);
        // The fresh store counts epochs from 1 again: the member that did not publish still follows.
        Await.until(Duration.ofSeconds(2), "the other member follows the new verdict",
                () -> a.fleet.stats().verdictsFollowed() + b.fleet.stats().verdictsFollowed() == followedBefore + 1);
        assertThat(a.state()).isEqualTo(State.OPEN);
        assertThat(b.state()).isEqualTo(State.OPEN);
        assertThat(Math.abs(a.breaker.remainingOpenDuration().toMillis() - b.breaker.remainingOpenDuration().toMillis()))
                .isLessThan(150);
        assertThat(callsOnNonBlockingThreads(a, b)).isLessThan(Duration.ofMillis(50).toNanos());
    }

    @Test
    void clientPauseLongerThanTheHeartbeatFallsBackThenRecovers() {
        RedisClient adminClient = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> admin = adminClient.connect()) {
            admin.sync().clientPause(1_000); // ten heartbeats

            Await.until(Duration.ofSeconds(1), "both local-only during the pause", () -> !a.fleet.connected() && !b.fleet.connected());
            long slowest = callsOnNonBlockingThreads(a, b);
            a.trip(); // a local trip while paused: decided locally, voted after the pause
            assertThat(a.state()).isEqualTo(State.OPEN);
            assertThat(slowest).isLessThan(Duration.ofMillis(50).toNanos());

            Await.until(Duration.ofSeconds(5), "both back after the pause", () -> a.fleet.connected() && b.fleet.connected());
            // a's vote: at reconcile if its local open wait still runs, else by its next local trip.
            a.trip();
            b.trip();
            Await.until(Duration.ofSeconds(3), "a fleet verdict after the pause",
                    () -> a.fleet.stats().verdictsPublished() + b.fleet.stats().verdictsPublished() == 1);
            assertThat(a.fleet.stats().storeErrors() + b.fleet.stats().storeErrors()).isPositive();
        } finally {
            adminClient.shutdown();
        }
    }

    @Test
    void aMemberThatJoinsDuringAnOutageReconcilesFromThePersistedVerdict() {
        fleetOpen();
        try (Member late = new Member(redis.uri(), "outage", "late")) {
            Await.until(Duration.ofSeconds(3), "the late member follows", () -> late.state() == State.OPEN);
            assertThat(late.fleet.stats().verdictsFollowed()).isEqualTo(1);
            assertThat(Math.abs(late.breaker.remainingOpenDuration().toMillis() - a.breaker.remainingOpenDuration().toMillis()))
                    .isLessThan(150);
        }
    }
}
