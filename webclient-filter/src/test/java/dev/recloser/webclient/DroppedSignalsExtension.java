package dev.recloser.webclient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.core.publisher.Hooks;

/**
 * Fails a test of this module when Reactor dropped a signal while it ran: any
 * {@code Hooks.onErrorDropped} or {@code Hooks.onNextDropped} call. A dropped signal is an error
 * (or a value) nobody will ever see; the filter must not make any, and Reactor's default hook only
 * logs them (this is how "Rejecting additional inbound receiver" went unnoticed for every retried
 * response). Auto-registered for every test class (META-INF/services, with
 * junit-platform.properties' autodetection), so no suite can forget it.
 *
 * <p>The hooks are global and the signals may come late on an event loop: a drop is charged to the
 * test that is running when it happens, and one that happens after the last test of a class fails
 * that class (after all). A test that means to provoke drops replaces the hooks itself and resets
 * them with {@link #install()} when it is done.
 */
public final class DroppedSignalsExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private static final ConcurrentLinkedQueue<String> DROPPED = new ConcurrentLinkedQueue<>();

    /**
     * (Re)installs the recording hooks in place of any others: Reactor composes the consumers given
     * to {@code Hooks.onErrorDropped}, so each is reset first.
     */
    static void install() {
        Hooks.resetOnErrorDropped();
        Hooks.onErrorDropped(e -> DROPPED.add("onErrorDropped: " + e));
        Hooks.resetOnNextDropped();
        Hooks.onNextDropped(v -> DROPPED.add("onNextDropped: " + v));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
        DROPPED.clear(); // drops from before this class are not its own; the previous class checked them
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failIfDropped("during " + context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failIfDropped("after the last test of " + context.getDisplayName());
    }

    private static void failIfDropped(String when) {
        List<String> seen = new ArrayList<>();
        for (String s; (s = DROPPED.poll()) != null; ) {
            seen.add(s);
        }
        if (!seen.isEmpty()) {
            throw new AssertionError(seen.size() + " signal(s) dropped " + when + ", the first: " + seen.get(0));
        }
    }
}
