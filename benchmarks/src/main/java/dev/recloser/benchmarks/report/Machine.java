package dev.recloser.benchmarks.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The machine the report describes, read where the generator runs (run it on the machine that ran
 * the benchmarks): processors, CPU model from {@code /proc/cpuinfo}, operating system, and the
 * versions of the benchmarked libraries.
 *
 * @param nproc      processors available to the JVM ({@code nproc})
 * @param cpuModel   the CPU's model name, or null if unknown
 * @param cpuDetail  family, model, clock, virtualisation and topology, or empty
 * @param os         distribution and kernel
 * @param libraries  library name → version, for the libraries the jar or the build declares
 */
record Machine(int nproc, String cpuModel, String cpuDetail, String os, Map<String, String> libraries) {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();

    /** Reads a description that {@link #write} wrote, on the machine that ran the benchmarks. */
    static Machine read(Path file) throws IOException {
        Machine m = JSON.readValue(file.toFile(), Machine.class);
        if (m.os() == null || m.cpuDetail() == null || m.libraries() == null) {
            throw new IOException(file + ": a machine description needs os, cpuDetail and libraries");
        }
        return m;
    }

    /** Writes this description as JSON, for {@link #read}. */
    void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    /** Reads the machine this JVM runs on. */
    static Machine detect() {
        Map<String, List<String>> cpu = cpuinfo(Path.of("/proc/cpuinfo"));
        String model = first(cpu, "model name");
        List<String> detail = new ArrayList<>();
        String family = first(cpu, "cpu family");
        String cpuModelNumber = first(cpu, "model");
        if (family != null && cpuModelNumber != null) {
            detail.add("family " + family + ", model " + cpuModelNumber);
        }
        String mhz = first(cpu, "cpu MHz");
        if (mhz != null) {
            try {
                detail.add(String.format(Locale.ROOT, "%.1f GHz", Double.parseDouble(mhz) / 1000));
            } catch (NumberFormatException ignored) {
                // leave it out
            }
        }
        String flags = first(cpu, "flags");
        if (flags != null && (" " + flags + " ").contains(" hypervisor ")) {
            String hypervisor = readFirstLine(Path.of("/sys/class/dmi/id/sys_vendor"));
            detail.add("virtual machine" + (hypervisor == null ? "" : " (" + hypervisor + ")"));
        }
        Set<String> sockets = new HashSet<>(cpu.getOrDefault("physical id", List.of()));
        String cores = first(cpu, "cpu cores");
        String siblings = first(cpu, "siblings");
        if (!sockets.isEmpty() && cores != null) {
            String topology = sockets.size() + (sockets.size() == 1 ? " socket" : " sockets") + " × " + cores
                    + " cores";
            if (siblings != null) {
                try {
                    int perCore = Integer.parseInt(siblings) / Integer.parseInt(cores);
                    topology += ", " + perCore + (perCore == 1 ? " thread" : " threads") + " per core";
                } catch (NumberFormatException | ArithmeticException ignored) {
                    // leave it out
                }
            }
            detail.add(topology);
        }
        return new Machine(Runtime.getRuntime().availableProcessors(), model, String.join(", ", detail), detectOs(),
                detectLibraries());
    }

    private static Map<String, List<String>> cpuinfo(Path file) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    values.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                            .add(line.substring(colon + 1).trim());
                }
            }
        } catch (IOException | SecurityException e) {
            // Not Linux, or not readable: the report says "unknown".
        }
        return values;
    }

    private static String first(Map<String, List<String>> values, String key) {
        List<String> list = values.get(key);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    private static String detectOs() {
        String distribution = null;
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"), StandardCharsets.UTF_8)) {
                if (line.startsWith("PRETTY_NAME=")) {
                    distribution = line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException | SecurityException e) {
            // not Linux
        }
        String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")";
        return distribution == null ? kernel : distribution + ", " + kernel;
    }

    private static String readFirstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty() || lines.get(0).isBlank() ? null : lines.get(0).trim();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /**
     * Library versions: from the {@code pom.properties} Maven puts in each jar (they survive in the
     * shaded benchmarks jar), else from the root {@code pom.xml}'s version properties if the
     * generator runs in the repository (Resilience4j is built with Gradle and ships none).
     */
    private static Map<String, String> detectLibraries() {
        Map<String, String> pom = rootPomProperties(Path.of("pom.xml"));
        Map<String, String> versions = new LinkedHashMap<>();
        put(versions, "Recloser core", jarVersion("dev.recloser", "recloser-core"), pom.get("project.version"));
        put(versions, "Resilience4j", jarVersion("io.github.resilience4j", "resilience4j-circuitbreaker"),
                pom.get("resilience4j.version"));
        put(versions, "Failsafe", jarVersion("dev.failsafe", "failsafe"), pom.get("failsafe.version"));
        return versions;
    }

    private static void put(Map<String, String> versions, String name, String fromJar, String fromPom) {
        String v = fromJar != null ? fromJar : fromPom;
        if (v != null) {
            versions.put(name, v);
        }
    }

    private static String jarVersion(String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Machine.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The {@code <properties>} of a pom and its own {@code <version>} as {@code project.version},
     * read with the JDK's XML parser; empty if the file is missing or not XML.
     */
    static Map<String, String> rootPomProperties(Path pom) {
        Map<String, String> values = new LinkedHashMap<>();
        Element project;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // throws on a fatal error instead of printing it
            project = builder.parse(pom.toFile()).getDocumentElement();
        } catch (IOException | ParserConfigurationException | SAXException | SecurityException e) {
            return values;
        }
        for (Element child : children(project)) {
            if (child.getTagName().equals("version")) {
                values.put("project.version", child.getTextContent().trim());
            } else if (child.getTagName().equals("properties")) {
                children(child).forEach(p -> values.put(p.getTagName(), p.getTextContent().trim()));
            }
        }
        return values;
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }
}
