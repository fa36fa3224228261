package io.lockstep.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.lockstep.cli.tour.Tour;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code lockstep} command. Its subcommands are the ways to look at the library from a
 * terminal; today there is one, {@code tour}.
 *
 * <pre>{@code
 * ./lockstep tour                 # every scenario, one line each
 * ./lockstep tour --list          # what the scenarios are
 * ./lockstep tour mutex-excludes  # just one
 * ./lockstep --version
 * }</pre>
 *
 * <p>Exit codes: 0 when everything asked for passed, 1 when a scenario failed, 2 for a usage error
 * (an unknown option or scenario name).
 */
@Command(
        name = "lockstep",
        mixinStandardHelpOptions = true,
        versionProvider = LockstepCommand.Version.class,
        description = "Every concurrency and synchronization primitive, in one coherent library.")
public final class LockstepCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    private LockstepCommand() {}

    /**
     * Runs the command and exits the JVM with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // The tour prints ✔ and ✘. Java encodes stdout with the locale's charset, which is ASCII
        // under the POSIX locale of most containers and CI runners, so those would print as '?'.
        // Every terminal in use today decodes UTF-8, so write UTF-8 regardless of the locale.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, UTF_8);
        System.setOut(out); // for scenarios that print
        System.setErr(err);
        System.exit(commandLine(Tour.catalog(), out, err).execute(args));
    }

    /**
     * The command, ready to {@link CommandLine#execute execute}, writing UTF-8 to the given
     * streams. {@link #main} uses it with the process's stdout and stderr, tests with a tour of
     * their own and byte buffers.
     *
     * @param tour the scenarios that {@code tour} knows
     * @param out where results go
     * @param err where errors and diagnostics go
     * @return the command line
     */
    static CommandLine commandLine(Tour tour, OutputStream out, OutputStream err) {
        CommandLine commandLine = new CommandLine(new LockstepCommand());
        commandLine.addSubcommand(new TourCommand(tour));
        commandLine.addSubcommand(new ProfileCommand());
        commandLine.addSubcommand(new BenchCommand());
        commandLine.addSubcommand(new DemoCommand());
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(out, UTF_8), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(err, UTF_8), true));
        return commandLine;
    }

    /** {@code lockstep} alone: there is nothing to do without a subcommand. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command, such as 'tour'.");
    }

    /** Reads the version that the build wrote into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lockstep " + version()};
        }

        static String version() {
            Properties properties = new Properties();
            try (InputStream in = LockstepCommand.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    return "(unknown version)";
                }
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return properties.getProperty("version", "(unknown version)");
        }
    }
}
