package dev.recloser.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerListener;
import dev.recloser.core.SlidingWindow;
import dev.recloser.core.StateTransition;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs in its own Surefire execution with the transition log ON (pom.xml), under BlockHound. The
 * breaker writes its transition log on the thread that won the transition; with a synchronous
 * appender that is blocking I/O on a non-blocking thread. docs/semantics.md documents both remedies;
 * this shows the hazard is real and that the listener route removes it.
 */
class TransitionLogBlockHoundTest {

    private static CircuitBreakerConfig.Builder tripsOnFirstFailure() {
        return CircuitBreakerConfig.builder().slidingWindow(SlidingWindow.countBased(2)).minimumNumberOfCalls(1);
    }

    /** Runs {@code task} on a parallel (non-blocking) thread and returns what it threw, if anything. */
    private static Throwable onParallelThread(Runnable task) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Schedulers.parallel().schedule(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                thrown.set(t);
            } finally {
                done.countDown();
            }
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        return thrown.get();
    }

    @Test
    void theDefaultLogOnANonBlockingThreadIsBlockingIoThatBlockHoundReports() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.of("default-log", tripsOnFirstFailure().build());
        // What a synchronous file appender does: slf4j-simple writes to System.out, here a file.
        Path file = Files.createTempFile("recloser-transition-log", ".txt");
        PrintStream out = System.out;
        Throwable thrown;
        try (PrintStream toFile = new PrintStream(new FileOutputStream(file.toFile()), true, StandardCharsets.UTF_8)) {
            System.setOut(toFile);
            thrown = onParallelThread(() -> breaker.onError(breaker.tryAcquirePermit(), 0, new RuntimeException()));
        } finally {
            System.setOut(out);
            Files.deleteIfExists(file);
        }

        // The appender's Error is not swallowed: the application learns of the blocking call.
        assertThat(thrown).isInstanceOf(BlockingOperationError.class);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN); // the transition itself stands
    }

    @Test
    void logTransitionsOffAndTheTransitionLoggerOnABlockingSchedulerKeepTheLogAndTheEventLoop()
            throws InterruptedException {
        CircuitBreaker breaker = CircuitBreaker.of("offloaded", tripsOnFirstFailure().logTransitions(false).build());
        CircuitBreakerListener log = CircuitBreakerListener.transitionLogger();
        Scheduler blocking = Schedulers.boundedElastic();
        CountDownLatch logged = new CountDownLatch(1);
        breaker.addListener(new CircuitBreakerListener() {
            @Override
            public void onStateTransition(StateTransition t) {
                blocking.schedule(() -> {
                    log.onStateTransition(t);
                    logged.countDown();
                });
            }
        });
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Throwable thrown;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            thrown = onParallelThread(() -> breaker.onError(breaker.tryAcquirePermit(), 0, new RuntimeException()));
            assertThat(logged.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            System.setOut(out);
        }

        assertThat(thrown).isNull();
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("CircuitBreaker 'offloaded' CLOSED -> OPEN (FAILURE_RATE)");
    }
}
