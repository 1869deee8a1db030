package dev.recloser.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the benchmark report, {@code docs/benchmarks.md}-style Markdown with SVG charts, from
 * JMH's JSON output ({@code -rf json}).
 *
 * <p>Run from the repository root, after the JMH runs documented in the report:
 * <pre>
 * mvn -pl benchmarks -am package -Dmaven.test.skip=true
 * bash benchmarks/run-suite.sh --report-only    # or, by hand:
 * java -cp benchmarks/target/benchmarks.jar dev.recloser.benchmarks.report.ReportGenerator \
 *     benchmarks/target/suite/*.json --out docs/benchmarks.md --charts docs/benchmarks
 * </pre>
 *
 * <p>Arguments: one or more JSON result files (one per JMH run; a result present in two files is
 * taken from the later one), {@code --out FILE} the Markdown report, {@code --charts DIR} the
 * directory of the SVG charts (default: {@code benchmarks/} next to the report), and optionally
 * {@code --notes FILE}, Markdown appended verbatim at the end (observations that need a human), and
 * {@code --machine FILE}, the machine description that {@code --describe-machine FILE} wrote on the
 * benchmark machine before the runs ({@code run-suite.sh} does both); without it the machine is
 * read where the generator runs.
 *
 * <p>The report contains: the machine (processors and CPU model from {@code /proc/cpuinfo}, OS,
 * JDK and JMH from the JSON, library versions), each file's date (its modification time), the
 * reconstructed JMH commands, Recloser's {@linkplain Targets targets} evaluated on the data, one
 * table per path (benchmark class × {@code @Param} values) with ns/op ± error, the iterations'
 * range, B/op and the ratios to Recloser and to the bare baseline, percentiles of
 * {@code Mode.SampleTime} benchmarks, and the charts: time per call of the core classes by path and
 * library for each thread count ({@code latency-1-thread.svg}, ...), their allocation per call
 * ({@code allocation.svg}), and the Reactor operator's time per subscription by path and thread
 * count ({@code reactor-latency.svg}) and allocation by path ({@code reactor-allocation.svg}).
 * What each method measures is the explicit table in {@link Catalog}.
 *
 * <p>CPU, OS and library versions are read where the generator runs unless {@code --machine}
 * gives them: without it, run the generator on the machine that ran the benchmarks.
 */
public final class ReportGenerator {

    static final String USAGE = "usage: java -cp benchmarks/target/benchmarks.jar "
            + "dev.recloser.benchmarks.report.ReportGenerator <result.json>... --out <report.md> "
            + "[--charts <dir>] [--notes <notes.md>] [--machine <machine.json>]\n"
            + "       java -cp benchmarks/target/benchmarks.jar "
            + "dev.recloser.benchmarks.report.ReportGenerator --describe-machine <machine.json>";

    private ReportGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--describe-machine")) {
            Machine.detect().write(Path.of(args[1]));
            System.out.println("wrote " + args[1]);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(USAGE);
            return;
        }
        Machine machine = options.machine() == null ? Machine.detect() : Machine.read(options.machine());
        for (String written : generate(options, machine, Instant.now())) {
            System.out.println("wrote " + written);
        }
    }

    /** Parsed command line. */
    record Options(List<String> inputs, Path out, Path charts, Path notes, Path machine, List<String> args) {

        /** Null for {@code --help}. */
        static Options parse(String[] args) {
            List<String> inputs = new ArrayList<>();
            Path out = null;
            Path charts = null;
            Path notes = null;
            Path machine = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> {
                        return null;
                    }
                    case "--out", "--charts", "--notes", "--machine" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(a + " needs a value");
                        }
                        Path p = Path.of(args[++i]);
                        if (a.equals("--out")) {
                            out = p;
                        } else if (a.equals("--charts")) {
                            charts = p;
                        } else if (a.equals("--machine")) {
                            machine = p;
                        } else {
                            notes = p;
                        }
                    }
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        inputs.add(a);
                    }
                }
            }
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("no JMH result file given");
            }
            if (out == null) {
                throw new IllegalArgumentException("--out is required");
            }
            if (charts == null) {
                Path parent = out.toAbsolutePath().getParent();
                charts = parent.resolve("benchmarks");
            }
            return new Options(List.copyOf(inputs), out, charts, notes, machine, List.of(args));
        }
    }

    /** Reads the inputs, writes the report and the charts; returns the files written. */
    static List<String> generate(Options options, Machine machine, Instant now) throws IOException {
        List<JmhResult> all = new ArrayList<>();
        List<MarkdownReport.Source> sources = new ArrayList<>();
        for (String input : options.inputs()) {
            Path file = Path.of(input);
            all.addAll(JmhResult.read(file));
            Instant modified;
            try {
                modified = Files.getLastModifiedTime(file).toInstant();
            } catch (IOException e) {
                modified = now;
            }
            sources.add(new MarkdownReport.Source(input, modified));
        }
        ResultSet results = ResultSet.of(all, w -> System.err.println("warning: " + w));
        if (results.results().isEmpty()) {
            throw new IllegalArgumentException("the result files hold no results");
        }

        Files.createDirectories(options.charts());
        Path outDir = options.out().toAbsolutePath().normalize().getParent();
        Files.createDirectories(outDir);
        List<String> written = new ArrayList<>();
        List<MarkdownReport.ChartLink> links = new ArrayList<>();
        String chartContext = chartContext(results, machine, sources);
        int fewest = results.threadCounts().get(0);
        List<BarChart> charts = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (int threads : results.threadCounts()) {
            charts.add(Charts.latency(results, threads, chartContext));
            files.add(Charts.latencyFile(threads));
        }
        charts.add(Charts.allocation(results, fewest, chartContext));
        files.add(Charts.allocationFile());
        charts.add(Charts.reactorLatency(results, chartContext));
        files.add(Charts.reactorLatencyFile());
        charts.add(Charts.reactorAllocation(results, fewest, chartContext));
        files.add(Charts.reactorAllocationFile());
        for (int i = 0; i < charts.size(); i++) {
            // A chart of classes that were not measured (or not at that thread count) is left out.
            if (!charts.get(i).isEmpty()) {
                Path file = options.charts().resolve(files.get(i));
                written.add(write(file, charts.get(i).render()));
                links.add(new MarkdownReport.ChartLink(link(outDir, file), charts.get(i).title()));
            }
        }

        String notes = options.notes() == null ? null : Files.readString(options.notes(), StandardCharsets.UTF_8);
        MarkdownReport.Context context = new MarkdownReport.Context(sources, machine,
                options.machine() == null ? null : options.machine().toString(), now, command(options.args()),
                links, notes);
        written.add(write(options.out(), MarkdownReport.render(results, context)));
        return written;
    }

    private static String chartContext(ResultSet results, Machine machine, List<MarkdownReport.Source> sources) {
        StringBuilder sb = new StringBuilder("; ");
        sb.append(DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC)
                .format(sources.get(sources.size() - 1).modified()));
        sb.append(", nproc ").append(machine.nproc());
        if (machine.cpuModel() != null) {
            sb.append(" × ").append(machine.cpuModel());
        }
        JmhResult first = results.results().get(0);
        sb.append(", JDK ").append(first.run().jdkVersion());
        return sb.toString();
    }

    private static String link(Path outDir, Path chart) {
        return outDir.relativize(chart.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    private static String write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file.toString();
    }

    /** The command line as a copyable shell command, one input per line. */
    static String command(List<String> args) {
        StringBuilder sb = new StringBuilder("java -cp benchmarks/target/benchmarks.jar ")
                .append(ReportGenerator.class.getName());
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String quoted = a.matches("[A-Za-z0-9_./:=@%+,-]+") ? a : "'" + a.replace("'", "'\\''") + "'";
            boolean option = a.startsWith("--") && i + 1 < args.size();
            if (option) {
                quoted += " " + quote(args.get(++i));
            }
            if (line.length() > 0 && line.length() + quoted.length() > 90) {
                sb.append(" \\\n    ").append(line.toString().strip());
                line.setLength(0);
            }
            line.append(' ').append(quoted);
        }
        if (line.length() > 0) {
            sb.append(" \\\n    ").append(line.toString().strip());
        }
        return sb.toString();
    }

    private static String quote(String a) {
        return a.matches("[A-Za-z0-9_./:=@%+,-]+") ? a : "'" + a.replace("'", "'\\''") + "'";
    }
}
