package dev.recloser.spring;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound once, before any test class of this module runs (auto-registered through
 * META-INF/services and junit-platform.properties), with the integrations found on the class path
 * (Reactor's, Netty's, Reactor Netty's): a blocking call on a Reactor scheduler thread or a Netty
 * event loop then fails the test that made it, the Spring application's request handling included.
 */
public final class BlockHoundExtension implements BeforeAllCallback {

    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    static synchronized void install() {
        if (!installed) {
            BlockHound.install();
            installed = true;
        }
    }
}
