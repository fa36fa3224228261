package io.lockstep.cli;

import io.lockstep.cli.tour.Outcome;
import io.lockstep.cli.tour.Scenario;
import io.lockstep.cli.tour.Tour;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep tour}: runs the scenarios of a {@link Tour}, one line each, and exits non-zero if
 * any failed.
 *
 * <pre>{@code
 * lockstep tour                              # all of them
 * lockstep tour --list                       # names and descriptions
 * lockstep tour mutex-excludes latch-opens  # only these, in this order
 * lockstep tour --timeout 5s                 # a stuck scenario fails sooner
 * lockstep tour --jfr tour.jfr mutex-counter # a JFR recording of the run, Lockstep's events on
 * }</pre>
 */
@Command(
        name = "tour",
        sortOptions = false,
        description = {
            "Runs the scenarios that show each primitive keeping its promise, one line each:",
            "  ✔ <name> — <what it showed>    or    ✘ <name> — <why not>",
            "then a summary. Exits 1 if any scenario failed, 2 for an unknown name."
        })
final class TourCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(
            names = {"-l", "--list"},
            description = "List the scenarios with their descriptions instead of running them.")
    private boolean list;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description =
                    "How long one scenario may run before it fails as stuck: 30s, 500ms, 2m."
                            + " Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(
            names = "--jfr",
            paramLabel = "FILE",
            description =
                    "Record the run with JDK Flight Recorder into FILE: the JDK's default"
                            + " settings plus Lockstep's events (lockstep.jfc: waits of 20 ms or more, deadlocks,"
                            + " lock-order violations). Read it with JMC or `jfr print --events io.lockstep.* FILE`.")
    private Path jfr;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    private boolean help;

    @Parameters(
            paramLabel = "NAME",
            arity = "0..*",
            description = "Scenarios to run (or list); all of them if none is named.")
    private List<String> names = new ArrayList<>();

    private final Tour tour;

    TourCommand(Tour tour) {
        this.tour = tour;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Scenario> selected = select(err);
        if (selected == null) {
            return ExitCode.USAGE;
        }
        if (selected.isEmpty()) {
            out.println(
                    "The tour has no scenarios yet: no scenario group is listed in "
                            + Tour.class.getName()
                            + ".");
            return ExitCode.OK;
        }
        if (list) {
            selected.forEach(s -> out.println(s.name() + " — " + s.description()));
            return ExitCode.OK;
        }
        Recording recording;
        try {
            recording = jfr == null ? null : JfrRecorder.start(jfr);
        } catch (IOException | ParseException e) {
            err.println("Cannot record to " + jfr + ": " + e.getMessage());
            return ExitCode.SOFTWARE;
        }
        List<String> failed = new ArrayList<>();
        long start = System.nanoTime();
        try {
            runAll(selected, failed, out, err);
        } finally {
            if (recording != null) {
                JfrRecorder.stop(recording, jfr, out, err);
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        out.println(summary(selected.size(), failed, elapsed));
        return failed.isEmpty() ? ExitCode.OK : ExitCode.SOFTWARE;
    }

    private void runAll(
            List<Scenario> selected, List<String> failed, PrintWriter out, PrintWriter err) {
        for (Scenario scenario : selected) {
            Outcome outcome = Tour.run(scenario, timeout);
            out.println(outcome.line());
            out.flush(); // one line at a time, so a slow scenario shows which one is running
            if (!outcome.details().isEmpty()) {
                err.println(outcome.details());
                err.flush();
            }
            if (!outcome.passed()) {
                failed.add(scenario.name());
            }
        }
    }

    /** The scenarios named on the command line, all if none; null after reporting a bad name. */
    private List<Scenario> select(PrintWriter err) {
        if (names.isEmpty()) {
            return tour.scenarios();
        }
        LinkedHashSet<Scenario> chosen = new LinkedHashSet<>(); // a name given twice runs once
        boolean allKnown = true;
        for (String name : names) {
            var found = tour.find(name);
            if (found.isPresent()) {
                chosen.add(found.get());
                continue;
            }
            allKnown = false;
            List<String> close = tour.closeNames(name);
            String hint;
            if (!close.isEmpty()) {
                hint = "Did you mean: " + String.join(", ", close) + "?";
            } else if (tour.scenarios().isEmpty()) {
                hint = "The tour has no scenarios yet.";
            } else {
                hint =
                        "'"
                                + spec.root().name()
                                + " tour --list' shows all "
                                + scenarioCount(tour.scenarios().size())
                                + ".";
            }
            err.println("Unknown scenario '" + name + "'. " + hint);
        }
        return allKnown ? List.copyOf(chosen) : null;
    }

    private static String summary(int total, List<String> failed, Duration elapsed) {
        String time = Tour.format(Duration.ofMillis(Math.max(1, elapsed.toMillis())));
        if (failed.isEmpty()) {
            return (total == 1 ? "The scenario passed" : "All " + total + " scenarios passed")
                    + " in "
                    + time
                    + ".";
        }
        return failed.size()
                + " of "
                + scenarioCount(total)
                + " failed: "
                + String.join(", ", failed)
                + ".";
    }

    private static String scenarioCount(int n) {
        return n + (n == 1 ? " scenario" : " scenarios");
    }

    /** Reads {@code 30s}, {@code 500ms}, {@code 2m}, a bare number of seconds, or ISO-8601. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|min)?");

        @Override
        public Duration convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            Matcher m = SIMPLE.matcher(text);
            Duration duration;
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                duration =
                        switch (unit) {
                            case "ms" -> Duration.ofMillis(amount);
                            case "s" -> Duration.ofSeconds(amount);
                            default -> Duration.ofMinutes(amount);
                        };
            } else {
                try {
                    duration = Duration.parse(text.toUpperCase(Locale.ROOT));
                } catch (DateTimeParseException e) {
                    throw new CommandLine.TypeConversionException(
                            "'" + value + "' is not a duration; write e.g. 30s, 500ms or 2m");
                }
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new CommandLine.TypeConversionException("the timeout must be positive");
            }
            return duration;
        }
    }
}
