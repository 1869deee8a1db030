package dev.recloser.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the code in the guides identical to code that a test compiles and runs. A guide marks a
 * block with {@code <!-- snippet: NAME -->} on the line before its fence; the test source holds
 * the same lines between {@code // --8<-- [start:NAME]} and {@code // --8<-- [end:NAME]}.
 * Indentation is normalised on both sides.
 */
public final class DocSnippets {

    private static final Pattern DOC = Pattern.compile("<!-- snippet: ([\\w-]+) -->\\s*\\n```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SRC = Pattern.compile("// --8<-- \\[start:([\\w-]+)]\\n(.*?)\\n\\s*// --8<-- \\[end:\\1]", Pattern.DOTALL);

    private DocSnippets() {
    }

    /** Asserts that every snippet of {@code guide} equals the region of the same name in {@code source}, and that there is at least one. */
    public static void assertInSync(Path guide, Path source) throws IOException {
        Map<String, String> inDoc = extract(DOC, Files.readString(guide));
        Map<String, String> inSource = extract(SRC, Files.readString(source));
        assertThat(inDoc).as("snippets in %s", guide).isNotEmpty();
        assertThat(inDoc.keySet()).as("snippets of %s found in %s", guide, source).isSubsetOf(inSource.keySet());
        for (Map.Entry<String, String> e : inDoc.entrySet()) {
            assertThat(e.getValue()).as("snippet '%s' of %s", e.getKey(), guide).isEqualTo(inSource.get(e.getKey()));
        }
    }

    private static Map<String, String> extract(Pattern p, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.put(m.group(1), dedent(m.group(2)));
        }
        return out;
    }

    private static String dedent(String block) {
        List<String> lines = new ArrayList<>(List.of(block.stripTrailing().split("\n", -1)));
        while (!lines.isEmpty() && lines.get(0).isBlank()) {
            lines.remove(0);
        }
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l.isBlank() ? "" : l.substring(indent).stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
