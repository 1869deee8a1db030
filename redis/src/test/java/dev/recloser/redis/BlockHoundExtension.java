package dev.recloser.redis;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound once per JVM before any test class of this module runs (auto-registered
 * through META-INF/services and junit-platform.properties): a blocking call on a non-blocking
 * Reactor thread then fails the test that made it.
 */
public final class BlockHoundExtension implements BeforeAllCallback {

    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    static void install() {
        if (!installed) {
            BlockHound.install();
            installed = true;
        }
    }
}
