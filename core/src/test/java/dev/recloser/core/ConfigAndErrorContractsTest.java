package dev.recloser.core;

import dev.recloser.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.recloser.core.CircuitBreaker.State;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Contracts a user meets from the outside: values honoured where accepted, messages, tags, logs. */
class ConfigAndErrorContractsTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void aTimeWindowThatTheBucketsDoNotDivideIsHonouredNotRejectedLater() {
        SlidingWindow window = SlidingWindow.timeBased(Duration.ofSeconds(10), 3);
        CircuitBreaker b = CircuitBreaker.of("odd", CircuitBreakerConfig.builder().clock(clock)
                .slidingWindow(window).minimumNumberOfCalls(2).build());

        b.onError(b.tryAcquirePermit(), 0, new RuntimeException());
        clock.advance(Duration.ofSeconds(3)); // still inside the first 3.333 s bucket's window
        b.onError(b.tryAcquirePermit(), 0, new RuntimeException());

        assertThat(b.state()).isEqualTo(State.OPEN);
    }

    @Test
    void theFastFailMessageNeverThrowsWhateverTheRetryAfter() {
        CallNotPermittedException huge = new CallNotPermittedException("b", State.OPEN, Duration.ofSeconds(Long.MAX_VALUE));
        assertThat(huge.getMessage()).isEqualTo("CircuitBreaker 'b' is OPEN; retry after " + Long.MAX_VALUE + ".0 s");
        assertThat(new CallNotPermittedException("b", State.OPEN, Duration.ofDays(100_000)).getMessage())
                .endsWith("retry after 8640000000.0 s");
        assertThat(new CallNotPermittedException("b", State.OPEN, Long.MAX_VALUE).getMessage())
                .endsWith("retry after 9223372036.8 s");
        assertThat(new CallNotPermittedException("b", State.OPEN, Duration.ofMillis(12_345)).getMessage())
                .endsWith("retry after 12.3 s");
    }

    @Test
    void recordAndIgnoreExceptionsByClass() {
        CircuitBreaker b = CircuitBreaker.of("classes", CircuitBreakerConfig.builder().clock(clock)
                .slidingWindow(SlidingWindow.countBased(10)).minimumNumberOfCalls(10)
                .recordExceptions(IOException.class, TimeoutException.class)
                .ignoreExceptions(UncheckedIOException.class)
                .build());

        b.onError(b.tryAcquirePermit(), 0, new java.net.ConnectException()); // an IOException subclass
        b.onError(b.tryAcquirePermit(), 0, new TimeoutException());
        b.onError(b.tryAcquirePermit(), 0, new IllegalStateException());  // not listed: a success
        b.onError(b.tryAcquirePermit(), 0, new UncheckedIOException(new IOException())); // ignored

        assertThat(b.metrics().bufferedCalls()).isEqualTo(3);
        assertThat(b.metrics().failedCalls()).isEqualTo(2);
        assertThat(b.config().recordFailure()).hasToString(
                "instance of any of [class java.io.IOException, class java.util.concurrent.TimeoutException]");
        assertThatIllegalArgumentException().isThrownBy(() -> CircuitBreakerConfig.builder().recordExceptions())
                .withMessage("recordExceptions needs at least one exception type, was none");
    }

    @Test
    void tagsComeFromTheBreakerAndTheRegistryDefaults() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.balanced(),
                Map.of("app", "shop", "team", "core"));

        CircuitBreaker b = registry.breaker("inventory", CircuitBreakerConfig.balanced(), Map.of("team", "stock"));

        assertThat(b.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "shop", "team", "stock"));
        assertThat(registry.breaker("other").tags()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "shop", "team", "core"));
        assertThat(CircuitBreaker.of("plain", CircuitBreakerConfig.balanced()).tags()).isEmpty();
    }

    @Test
    void aThrowingLogBackendDoesNotEscapeTheOutcomeNorSkipTheListeners() {
        CircuitBreaker b = CircuitBreaker.of("loud", CircuitBreakerConfig.builder().clock(clock)
                .slidingWindow(SlidingWindow.countBased(2)).minimumNumberOfCalls(1).build());
        List<State> heard = new ArrayList<>();
        b.addListener(new CircuitBreakerListener() {
            @Override
            public void onStateTransition(StateTransition t) {
                heard.add(t.to());
            }
        });
        PrintStream out = System.out;
        // slf4j-simple writes to the current System.out (simplelogger.properties): make every write throw, as a broken appender.
        System.setOut(new PrintStream(OutputStream.nullOutputStream()) {
            @Override
            public void println(String x) {
                throw new IllegalStateException("appender down");
            }

            @Override
            public void write(byte[] buf, int off, int len) {
                throw new IllegalStateException("appender down");
            }
        });
        try {
            b.onError(b.tryAcquirePermit(), 0, new RuntimeException()); // trips: logs at WARN
        } finally {
            System.setOut(out);
        }
        assertThat(b.state()).isEqualTo(State.OPEN);
        assertThat(heard).containsExactly(State.OPEN);
    }

    @Test
    void theTransitionLogCanBeMovedToAListener() {
        CircuitBreakerConfig quiet = CircuitBreakerConfig.builder().logTransitions(false).build();
        assertThat(quiet.logTransitions()).isFalse();
        assertThat(CircuitBreakerConfig.balanced().logTransitions()).isTrue();
        CircuitBreakerListener logger = CircuitBreakerListener.transitionLogger();
        CircuitBreaker b = CircuitBreaker.of("moved", quiet);
        b.addListener(logger);
        b.transitionToForcedOpen(); // logged through the listener; must not throw
        assertThat(logger).hasToString("CircuitBreakerListener.transitionLogger()");
    }

    @Test
    void aForcedOpenFastFailReadsNoClock() {
        int[] reads = new int[1];
        CircuitBreaker b = CircuitBreaker.of("forced", CircuitBreakerConfig.builder()
                .clock(() -> ++reads[0]).build());
        b.transitionToForcedOpen();
        int before = reads[0];

        assertThat(b.tryAcquirePermit()).isEqualTo(CircuitBreaker.NO_PERMIT);
        CallNotPermittedException e = b.callNotPermitted();

        assertThat(reads[0]).isEqualTo(before);
        assertThat(e.state()).isEqualTo(State.FORCED_OPEN);
    }
}
