package dev.recloser.reactor.tck;

import dev.recloser.reactor.BlockHoundExtension;
import java.util.Objects;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;
import reactor.core.CorePublisher;
import reactor.core.publisher.Mono;

/**
 * The Reactive Streams TCK's {@link PublisherVerification} for one {@link Guard} over one
 * {@link Shape} of source. Each subclass is one pair; they run on the JUnit Platform through the
 * TestNG engine, in the module's ordinary surefire run.
 *
 * <p>Subscribers: the TCK's subscribers reach the operator as {@code CoreSubscriber}s (see
 * {@link DirectPublisher}), so that reactor-core's strict wrapper does not hide what the operator
 * does (requests made inside {@code onSubscribe} are held until it returns, as reactor-core's
 * relaxed rule 1.3 asks of a {@code CoreSubscriber}). The exception is rule 3.9 (a request of zero or less must signal
 * {@code IllegalArgumentException}): reactor-core relaxes it for {@code CoreSubscriber}s by contract
 * (such a request is ignored, see {@code CoreSubscriber}), and enforces it for any other subscriber
 * with that wrapper. The three 3.9 tests therefore subscribe as an application would, with a plain
 * {@code Subscriber}, and check the rule end to end: the guarded publisher, then the wrapper.
 *
 * <p>BlockHound is installed before the first class runs, as for the module's JUnit tests: an
 * operator that blocks a scheduler thread fails the test.
 *
 * <p>Timeouts: a signal the TCK expects is waited for up to {@link #TIMEOUT_MS} (a wait that
 * normally returns in microseconds, so a loaded machine does not fail a test); the rules that check
 * that nothing arrives wait {@link #NO_SIGNALS_MS} each, which is where the run spends its time.
 */
public abstract class GuardVerification extends PublisherVerification<Integer> {

    static final long TIMEOUT_MS = 1_000;
    static final long NO_SIGNALS_MS = 50;
    static final long POLL_MS = 10;
    /** How long rule 3.13 waits before checking that the publisher dropped its subscriber. */
    static final long GC_TIMEOUT_MS = 300;

    private final Guard guard;
    private final Shape shape;
    /** Set while a 3.9 test runs: its publishers are handed out as they are (see the class notes). */
    private boolean plainSubscribers;

    protected GuardVerification(Guard guard, Shape shape) {
        super(new TestEnvironment(TIMEOUT_MS, NO_SIGNALS_MS, POLL_MS), GC_TIMEOUT_MS);
        this.guard = Objects.requireNonNull(guard, "guard");
        this.shape = Objects.requireNonNull(shape, "shape");
    }

    @BeforeClass
    public void installBlockHound() {
        BlockHoundExtension.install();
    }

    @Override
    public Publisher<Integer> createPublisher(long elements) {
        return checked(guard.apply(shape.source(elements)));
    }

    @Override
    public Publisher<Integer> createFailedPublisher() {
        return checked(guard.failed(shape));
    }

    @Override
    public long maxElementsFromPublisher() {
        return shape.maxElements();
    }

    @Override
    @Test
    public void required_spec309_requestZeroMustSignalIllegalArgumentException() throws Throwable {
        withPlainSubscribers(super::required_spec309_requestZeroMustSignalIllegalArgumentException);
    }

    @Override
    @Test
    public void required_spec309_requestNegativeNumberMustSignalIllegalArgumentException() throws Throwable {
        withPlainSubscribers(super::required_spec309_requestNegativeNumberMustSignalIllegalArgumentException);
    }

    @Override
    @Test
    public void optional_spec309_requestNegativeNumberMaySignalIllegalArgumentExceptionWithSpecificMessage()
            throws Throwable {
        withPlainSubscribers(super::optional_spec309_requestNegativeNumberMaySignalIllegalArgumentExceptionWithSpecificMessage);
    }

    /** A TCK test, which may throw anything (TestNG reports it). */
    @FunctionalInterface
    interface TckTest {
        void run() throws Throwable;
    }

    private void withPlainSubscribers(TckTest test) throws Throwable {
        plainSubscribers = true;
        try {
            test.run();
        } finally {
            plainSubscribers = false;
        }
    }

    /**
     * Checks that a guarded Mono stayed a Mono (else the run would not be testing the operator's
     * Mono path), then hands the publisher out for {@code CoreSubscriber}s.
     */
    @SuppressWarnings("unchecked") // every guarded publisher is a Flux or a Mono, both CorePublishers
    private Publisher<Integer> checked(Publisher<Integer> guarded) {
        if (shape.mono() && !(guarded instanceof Mono)) {
            throw new AssertionError(guard + " turned a Mono into " + guarded.getClass().getName());
        }
        if (plainSubscribers) {
            return guarded;
        }
        return new DirectPublisher<>((CorePublisher<Integer>) guarded);
    }
}
