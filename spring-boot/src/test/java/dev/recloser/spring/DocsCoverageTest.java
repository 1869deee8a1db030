package dev.recloser.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/spring-boot.md documents every property: each one in the generated configuration metadata,
 * and each option of the map values (breaker configs, retry policies, bulkheads, overrides) that
 * the metadata format cannot describe.
 */
class DocsCoverageTest {

    private static String docs() throws IOException {
        return Files.readString(Path.of("..", "docs", "spring-boot.md"), StandardCharsets.UTF_8);
    }

    @Test
    void everyGeneratedPropertyIsDocumented() throws IOException {
        String metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata on the class path").isNotNull();
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\"name\"\\s*:\\s*\"((?:recloser|management\\.health\\.recloser)[^\"]*)\"").matcher(metadata);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).hasSizeGreaterThan(20);
        String docs = docs();
        for (String name : names) {
            String last = name.substring(name.lastIndexOf('.') + 1);
            assertThat(docs).as("docs/spring-boot.md mentions %s", name).containsAnyOf(name, "`" + last + "`",
                    "`" + name.replaceFirst("^recloser\\.[a-z]+\\.", "") + "`");
        }
    }

    @Test
    void everyOptionOfTheMapValuesIsDocumented() throws IOException {
        String docs = docs();
        for (Class<?> type : List.of(RecloserProperties.BreakerProperties.class, RecloserProperties.RetryProperties.class,
                RecloserProperties.BulkheadProperties.class, RecloserProperties.Override.class)) {
            for (Method method : type.getMethods()) {
                if (method.getName().startsWith("set")) {
                    String kebab = method.getName().substring(3).replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
                    assertThat(docs).as("docs/spring-boot.md documents %s.%s", type.getSimpleName(), kebab)
                            .containsPattern("`(overrides\\.<name>\\.)?" + Pattern.quote(kebab) + "(\\.<key>)?`");
                }
            }
        }
    }
}
