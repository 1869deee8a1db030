package dev.recloser.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** recloser.fleet.* meters on a live member; and a check that BlockHound is really on here. */
class FleetMeterBinderTest {

    private static RedisTestServer redis;

    @BeforeAll
    static void start() {
        redis = new RedisTestServer();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void metersFollowTheFleet() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Member m = new Member(redis.uri(), "meters", "solo")) {
            new FleetMeterBinder(m.fleet).bindTo(meters);
            Await.until(Duration.ofSeconds(5), "connected", () -> meters.get("recloser.fleet.connected").gauge().value() == 1.0);
            assertThat(meters.get("recloser.fleet.members").tag("instance", "solo").gauge().value()).isEqualTo(1.0);
            for (String name : new String[] {"verdicts.published", "verdicts.followed", "verdicts.ignored", "leases.won",
                "leases.lost", "messages.dropped", "store.errors"}) {
                assertThat(meters.get("recloser.fleet." + name).tag("namespace", "meters").functionCounter().count()).isZero();
            }
            m.fleet.close();
            Await.until(Duration.ofSeconds(2), "disconnected after close", () -> meters.get("recloser.fleet.connected").gauge().value() == 0.0);
        }
    }

    @Test
    void blockHoundIsInstalled() {
        Mono<Void> blocking = Mono.<Void>fromRunnable(() -> java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L))
                .subscribeOn(Schedulers.parallel());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> blocking.block(Duration.ofSeconds(5)))
                .hasCauseInstanceOf(BlockingOperationError.class);
    }
}
