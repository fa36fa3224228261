package io.lockstep.cli;

import io.lockstep.cli.report.BenchPage;
import io.lockstep.cli.report.JmhResults;
import io.lockstep.cli.report.ScalingCsv;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep bench}: runs JMH suites from lockstep-bench's jar (or reads earlier JSON results)
 * and writes a report page with a chart per benchmark, thread-scaling curves, and the Markdown
 * table of docs/BENCHMARKS.md.
 *
 * <pre>{@code
 * lockstep bench --quick                          # a few short benchmarks, under 3 minutes on 2 cores
 * lockstep bench MutexBench SemaphoreBench        # these suites, with their own settings
 * lockstep bench --from docs/results/2026-12-04-issue13/*.json   # no JMH: a report of saved results
 * }</pre>
 */
@Command(
        name = "bench",
        sortOptions = false,
        description = {
            "Runs JMH suites (lockstep-bench/target/benchmarks.jar, built if missing) and writes",
            "bench-report/index.html: Lockstep's ratio to each peer per benchmark (1.0 marked),",
            "thread-scaling curves from docs/results/*.csv, the machine, JDK and date; and prints the",
            "Markdown table of docs/BENCHMARKS.md. Numbers from a busy machine are for direction only."
        })
final class BenchCommand implements Callable<Integer> {
    /*
     * Implementation notes.
     *
     * JMH runs in a child JVM (the benchmarks jar's own main, with JMH's forks under it), on the
     * JDK this command runs on; its output is copied line by line to ours, which is the progress
     * report. --quick picks one contended shape per family with one fork and half-second
     * iterations: 12 forks of about 3 s each, so under a minute on an idle 2-core machine and well
     * under 3 on a busy one.
     */
    static final List<String> QUICK_SUITES =
            List.of(
                    "MutexBench.contended$",
                    "SemaphoreBench.contended$",
                    "BarrierBench.roundTrip$",
                    "RwLockBench.readMostly$");
    static final List<String> QUICK_OPTIONS =
            List.of("-f", "1", "-wi", "1", "-w", "500ms", "-i", "2", "-r", "500ms");

    @Spec private CommandSpec spec;

    @Option(
            names = "--quick",
            description =
                    "A few short benchmarks, one fork, short iterations (under 3 minutes on 2 cores).")
    private boolean quick;

    @Option(
            names = "--from",
            arity = "1..*",
            paramLabel = "JSON",
            description =
                    "Render a report from existing JMH JSON results (-rf json) instead of running JMH.")
    private List<Path> from = new ArrayList<>();

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "bench-report",
            description =
                    "Where the page goes (DIR/index.html, DIR/table.md, DIR/results.json). Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Option(
            names = "--scaling",
            paramLabel = "PATH",
            description =
                    "A thread-scaling CSV, or a folder of them. Default: docs/results of the repository, if there.")
    private List<Path> scaling = new ArrayList<>();

    @Option(
            names = "--jar",
            paramLabel = "JAR",
            description =
                    "The JMH jar. Default: lockstep-bench/target/benchmarks.jar of the repository (built if missing).")
    private Path jar;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    private boolean help;

    @Parameters(
            paramLabel = "SUITE",
            description =
                    "JMH benchmark patterns (MutexBench, SemaphoreBench.contended$). Default: all, or the quick set.")
    private List<String> suites = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> json = new ArrayList<>(from);
        if (json.isEmpty()) {
            Path produced = runJmh(stdout, err);
            if (produced == null) return ExitCode.SOFTWARE;
            json.add(produced);
        } else if (quick || !suites.isEmpty()) {
            err.println("--from renders saved results; it takes no suites and no --quick");
            return ExitCode.USAGE;
        }
        for (Path p : json) {
            if (!Files.isRegularFile(p)) {
                err.println("No such results file: " + p);
                return ExitCode.USAGE;
            }
        }
        JmhResults results;
        List<ScalingCsv> csvs = new ArrayList<>();
        try {
            results = JmhResults.read(json);
            for (Path csv : scalingFiles()) csvs.add(ScalingCsv.read(csv));
        } catch (IOException e) {
            err.println(e.getMessage());
            return ExitCode.USAGE;
        }
        BenchPage.Environment env =
                new BenchPage.Environment(
                        machine(),
                        BenchPage.jdks(results),
                        ZonedDateTime.now(ZoneOffset.UTC)
                                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                        json.stream()
                                .map(Path::toString)
                                .reduce((a, b) -> a + ", " + b)
                                .orElse(""));
        Files.createDirectories(out);
        String markdown = BenchPage.markdown(results);
        Files.writeString(
                out.resolve("index.html"),
                BenchPage.html(results, csvs, env),
                StandardCharsets.UTF_8);
        Files.writeString(out.resolve("table.md"), markdown, StandardCharsets.UTF_8);
        stdout.print(markdown);
        stdout.println();
        stdout.println(
                "Wrote "
                        + out.resolve("index.html")
                        + " ("
                        + results.groups().size()
                        + " benchmarks, "
                        + csvs.stream().mapToInt(c -> c.curves().size()).sum()
                        + " scaling curves) and "
                        + out.resolve("table.md"));
        stdout.flush();
        return ExitCode.OK;
    }

    /** Runs JMH into DIR/results.json; null (having said why) if it failed. */
    private Path runJmh(PrintWriter stdout, PrintWriter err)
            throws IOException, InterruptedException {
        Path benchJar =
                jar != null ? jar : repository().resolve("lockstep-bench/target/benchmarks.jar");
        if (!Files.isRegularFile(benchJar)) {
            if (jar != null || !build(benchJar, err)) {
                err.println("No JMH jar at " + benchJar);
                return null;
            }
        }
        Files.createDirectories(out);
        Path result = out.resolve("results.json").toAbsolutePath();
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-jar",
                                benchJar.toString()));
        cmd.addAll(suites.isEmpty() && quick ? QUICK_SUITES : suites);
        if (quick) cmd.addAll(QUICK_OPTIONS);
        cmd.addAll(List.of("-rf", "json", "-rff", result.toString()));
        stdout.println("Running: " + String.join(" ", cmd));
        stdout.flush();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                stdout.println(line);
                stdout.flush();
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || !Files.isRegularFile(result)) {
            err.println("JMH failed (exit " + exit + ")");
            return null;
        }
        return result;
    }

    /**
     * Builds lockstep-bench's jar with the repository's Maven wrapper, as ./lockstep builds the
     * CLI.
     */
    private boolean build(Path benchJar, PrintWriter err) throws IOException, InterruptedException {
        Path repo = repository();
        if (!Files.isRegularFile(repo.resolve("mvnw"))) return false;
        err.println("lockstep: building " + benchJar + " first (about a minute)...");
        err.flush();
        Process p =
                new ProcessBuilder(
                                "./mvnw",
                                "-q",
                                "-B",
                                "-DskipTests",
                                "-pl",
                                "lockstep-bench",
                                "-am",
                                "package")
                        .directory(repo.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                        .start();
        return p.waitFor() == 0 && Files.isRegularFile(benchJar);
    }

    /**
     * The repository: where this command's jar was built (lockstep-cli/target/lockstep.jar), else
     * the current folder.
     */
    static Path repository() {
        try {
            Path self =
                    Path.of(
                            BenchCommand.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            for (Path p = self; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("mvnw"))
                        && Files.isDirectory(p.resolve("lockstep-bench"))) return p;
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through: no code source to go by
        }
        return Path.of("").toAbsolutePath();
    }

    private List<Path> scalingFiles() throws IOException {
        List<Path> roots =
                scaling.isEmpty() ? List.of(repository().resolve("docs/results")) : scaling;
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isRegularFile(root)) {
                files.add(root);
            } else if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.list(root)) {
                    s.filter(f -> f.toString().endsWith(".csv")).sorted().forEach(files::add);
                }
            } else if (!scaling.isEmpty()) {
                throw new IOException("No such scaling CSV or folder: " + root);
            }
        }
        return files;
    }

    /** Cores, architecture, OS and CPU model (from /proc/cpuinfo, where there is one). */
    static String machine() {
        String cpu = "";
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            try (Stream<String> lines = Files.lines(info)) {
                cpu =
                        lines.filter(l -> l.startsWith("model name"))
                                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                                .findFirst()
                                .map(m -> ", " + m)
                                .orElse("");
            } catch (IOException | java.io.UncheckedIOException e) {
                cpu = "";
            }
        }
        return Runtime.getRuntime().availableProcessors()
                + " cores, "
                + System.getProperty("os.arch")
                + ", "
                + System.getProperty("os.name")
                + cpu;
    }
}
