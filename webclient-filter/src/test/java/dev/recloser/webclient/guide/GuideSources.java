package dev.recloser.webclient.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the code in a guide identical to files that Maven compiles: a guide marks a Java block with
 * {@code <!-- source: Name.java -->} on the line before its fence, and the block must be that
 * file of this package as written, imports included, but for its {@code package} line. So every
 * snippet compiles as a user would paste it (in a package of their own: these files are outside
 * Recloser's packages and see only its public API), and the tests that run the classes run the
 * code the guide shows.
 */
public final class GuideSources {

    private static final Pattern BLOCK = Pattern.compile("<!-- source: (\\w+\\.java) -->\\s*\\n```java\\n(.*?)```",
            Pattern.DOTALL);
    private static final Path DIR = Path.of("src/test/java/dev/recloser/webclient/guide");

    private GuideSources() {
    }

    /** Asserts that {@code guide} shows exactly {@code files} (and no other source), each verbatim. */
    public static void assertShown(Path guide, String... files) throws IOException {
        Map<String, String> shown = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(Files.readString(guide));
        while (m.find()) {
            shown.put(m.group(1), m.group(2));
        }
        assertThat(shown.keySet()).as("sources shown in %s", guide).containsExactlyInAnyOrder(files);
        for (String file : files) {
            String source = Files.readString(DIR.resolve(file))
                    .replaceFirst("\\Apackage [\\w.]+;\\n\\n", "");
            assertThat(shown.get(file)).as("%s as shown in %s", file, guide).isEqualTo(source);
        }
    }
}
