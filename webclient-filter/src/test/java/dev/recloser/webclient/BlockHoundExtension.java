package dev.recloser.webclient;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;

/**
 * Prepares the JVM once, before any test class of this module runs (auto-registered through
 * META-INF/services and junit-platform.properties):
 * <ul>
 *   <li>installs the counting Netty leak detector ({@link LeakReports}), before any Netty buffer
 *       class is initialized, so that every leak report of the run is seen;</li>
 *   <li>installs BlockHound, with the integrations found on the class path (Reactor's, Netty's
 *       and Reactor Netty's): a blocking call on a Reactor scheduler thread or a Netty event loop
 *       then fails the test that made it.</li>
 * </ul>
 * No allowance is added: nothing on the paths these tests take needed one.
 */
public final class BlockHoundExtension implements BeforeAllCallback {

    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    static synchronized void install() {
        if (!installed) {
            LeakReports.install();
            BlockHound.install();
            installed = true;
        }
    }
}
