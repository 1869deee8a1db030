package dev.recloser.redis;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every option rejects a bad value at the call that sets it, naming the option and the value. */
class RedisFleetBuilderTest {

    private final RedisFleet.Builder b = RedisFleet.builder(RedisURI.create("redis://127.0.0.1:1"));

    @Test
    void rejectsBadValuesNamingOptionAndValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> b.namespace("a b")).withMessageContaining("namespace").withMessageContaining("'a b'");
        assertThatIllegalArgumentException().isThrownBy(() -> b.instanceId("x|y")).withMessageContaining("instanceId").withMessageContaining("x|y");
        assertThatIllegalArgumentException().isThrownBy(() -> b.instanceId("")).withMessageContaining("instanceId");
        assertThatIllegalArgumentException().isThrownBy(() -> b.heartbeat(Duration.ZERO)).withMessageContaining("heartbeat").withMessageContaining("PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> b.heartbeat(Duration.ofMillis(5))).withMessageContaining("heartbeat").withMessageContaining("PT0.005S");
        assertThatIllegalArgumentException().isThrownBy(() -> b.memberTtl(Duration.ofMillis(500))).withMessageContaining("memberTtl").withMessageContaining("PT0.5S");
        assertThatIllegalArgumentException().isThrownBy(() -> b.quorumInstances(0)).withMessageContaining("quorumInstances").withMessageContaining("0");
        assertThatIllegalArgumentException().isThrownBy(() -> b.quorumFraction(1.5)).withMessageContaining("quorumFraction").withMessageContaining("1.5");
        assertThatIllegalArgumentException().isThrownBy(() -> b.quorumFraction(Double.NaN)).withMessageContaining("quorumFraction").withMessageContaining("NaN");
        assertThatIllegalArgumentException().isThrownBy(() -> b.leaseDuration(Duration.ofSeconds(-1))).withMessageContaining("leaseDuration").withMessageContaining("PT-1S");
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxMessageBytes(10)).withMessageContaining("maxMessageBytes").withMessageContaining("10");
        assertThatIllegalArgumentException().isThrownBy(() -> b.verdictRetention(Duration.ofDays(2))).withMessageContaining("verdictRetention").withMessageContaining("PT48H");
        assertThatIllegalArgumentException().isThrownBy(() -> b.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .withMessageContaining("reconnectBackoff.max").withMessageContaining("PT1S");
        b.heartbeat(Duration.ofSeconds(2));
        assertThatIllegalArgumentException().isThrownBy(() -> b.memberTtl(Duration.ofSeconds(2))).withMessageContaining("memberTtl").withMessageContaining("PT2S");
    }
}
