package dev.recloser.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineTest {

    @Test
    void readsThePomsOwnVersionAndPropertiesNotThoseOfItsParentOrDependencies(@TempDir Path dir) throws Exception {
        Path pom = dir.resolve("pom.xml");
        Files.writeString(pom, """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <parent><version>9.9</version></parent>
                  <version>0.1.0-SNAPSHOT</version>
                  <properties>
                    <!-- a comment -->
                    <failsafe.version>3.3.2</failsafe.version>
                    <resilience4j.version> 2.4.0 </resilience4j.version>
                  </properties>
                  <dependencies><dependency><version>1.0</version></dependency></dependencies>
                </project>
                """);
        assertThat(Machine.rootPomProperties(pom)).containsExactly(
                java.util.Map.entry("project.version", "0.1.0-SNAPSHOT"),
                java.util.Map.entry("failsafe.version", "3.3.2"),
                java.util.Map.entry("resilience4j.version", "2.4.0"));
    }

    @Test
    void aMissingOrBrokenPomGivesNothing(@TempDir Path dir) throws Exception {
        assertThat(Machine.rootPomProperties(dir.resolve("absent.xml"))).isEmpty();
        Path broken = dir.resolve("broken.xml");
        Files.writeString(broken, "<project><version>1</project>");
        assertThat(Machine.rootPomProperties(broken)).isEmpty();
    }
}
