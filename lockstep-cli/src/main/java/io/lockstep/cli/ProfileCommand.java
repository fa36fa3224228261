package io.lockstep.cli;

import io.lockstep.cli.report.ContentionProfile;
import io.lockstep.cli.report.ProfilePage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep profile}: the contention profile of a JFR recording, as tables in the terminal
 * and as a page with charts.
 *
 * <pre>{@code
 * lockstep tour --jfr tour.jfr                      # or any recording made with lockstep.jfc
 * lockstep profile tour.jfr                         # tables, and profile.html
 * lockstep profile tour.jfr --html /tmp/p.html --top 5
 * }</pre>
 */
@Command(
        name = "profile",
        sortOptions = false,
        description = {
            "Reads a JFR recording made with Lockstep's events on (lockstep.jfc, `lockstep tour --jfr`)",
            "and prints the most contended primitives and acquisition sites: waits, total and max",
            "wait, p50/p99 wait and hold. Writes an HTML page with a bar chart per primitive and a",
            "timeline of waits and holds per thread (self-contained: no script, no network)."
        })
final class ProfileCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECORDING", description = "The .jfr file.")
    private Path recording;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            defaultValue = "profile.html",
            description = "Where to write the page. Default: ${DEFAULT-VALUE}.")
    private Path html;

    @Option(
            names = "--top",
            paramLabel = "N",
            defaultValue = "10",
            description =
                    "How many primitives and sites the tables show. Default: ${DEFAULT-VALUE}.")
    private int top;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (top < 1) {
            err.println("--top must be at least 1, not " + top);
            return ExitCode.USAGE;
        }
        ContentionProfile profile;
        try {
            profile = ContentionProfile.read(recording);
        } catch (NoSuchFileException e) {
            err.println("No such recording: " + recording);
            return ExitCode.USAGE;
        } catch (IOException e) {
            err.println("Cannot read " + recording + " as a JFR recording: " + e.getMessage());
            return ExitCode.USAGE;
        }
        out.println(ProfilePage.summary(recording.toString(), profile));
        out.println();
        out.println("Top contended primitives (times in ms)");
        out.print(ProfilePage.primitiveTable(profile.primitives(), top));
        if (profile.holds().isEmpty()) {
            out.println(
                    "(no hold times: the recording has no io.lockstep.ContendedHold events; they come from"
                            + " mutexes whose holder had waited, with lockstep.jfc)");
        }
        out.println();
        out.println("Top acquisition sites (times in ms)");
        out.print(ProfilePage.siteTable(profile.sites(), top));
        try {
            Files.writeString(
                    html,
                    ProfilePage.html(recording.toString(), profile, top),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("Cannot write " + html + ": " + e.getMessage());
            return ExitCode.SOFTWARE;
        }
        out.println();
        out.println("Wrote " + html);
        out.flush();
        return ExitCode.OK;
    }
}
