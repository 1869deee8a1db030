package dev.recloser.webclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: what a user of {@code recloser-webclient} gets at run time is enough to make a call.
 * Spring's Reactor connector needs spring-context (it is a {@code SmartLifecycle}); without it the
 * first call fails with {@code NoClassDefFoundError}. The test class path cannot tell (it holds the
 * test dependencies too), so the build writes the module's resolved runtime class path (compile and
 * runtime scopes, transitively: what Maven gives a dependent project) to
 * {@code target/runtime-classpath.txt} (maven-dependency-plugin, see the pom), and this test reads it.
 */
class RuntimeClasspathTest {

    private static List<String> runtimeClasspath() throws IOException {
        Path file = Path.of(System.getProperty("basedir", "."), "target", "runtime-classpath.txt");
        assertThat(file).as("written by maven-dependency-plugin:build-classpath").exists();
        return Arrays.stream(Files.readString(file).trim().split(File.pathSeparator))
                .map(entry -> Path.of(entry).getFileName().toString())
                .toList();
    }

    @Test
    void theRuntimeClasspathHoldsSpringContextForTheReactorConnector() throws IOException {
        List<String> jars = runtimeClasspath();
        assertThat(jars).anyMatch(j -> j.startsWith("spring-context-") && j.endsWith(".jar"));
        assertThat(jars).anyMatch(j -> j.startsWith("spring-webflux-"));
        assertThat(jars).anyMatch(j -> j.startsWith("reactor-netty-http-"));
        // It is the runtime class path, not the test one: no test-only dependency in it.
        assertThat(jars).noneMatch(j -> j.startsWith("junit-") || j.startsWith("blockhound-")
                || j.startsWith("slf4j-simple-"));
    }
}
