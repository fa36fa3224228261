package io.lockstep.os;

import io.lockstep.lock.RawMutex;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.io.File;

/**
 * A real child JVM running a test main class, with its output read line by line: tests wait for
 * the line that says the child did something, never for a fixed time. stderr is merged into
 * stdout so that a child's exception shows up in the failure message.
 */
final class ChildJvm implements AutoCloseable {
    /** Generous: child JVMs start slowly on a loaded 2-core machine. */
    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String EOF = new String("<end of output>");

    private final Process process;
    private final Writer stdin;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>(); // used by the test thread only

    private ChildJvm(Process process) {
        this.process = process;
        this.stdin = process.outputWriter(StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("child-" + process.pid() + "-out").start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) lines.add(line);
            } catch (IOException ignored) {
                // The child died: EOF below says so.
            }
            lines.add(EOF);
        });
    }

    /** Starts {@code main} in a new JVM (the one running the tests) on the test class path. */
    static ChildJvm start(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        // A small, quick-starting JVM: these children do little work.
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m"));
        command.add("-cp");
        command.add(classPath(main, FileMutex.class, RawMutex.class));
        command.add(main.getName());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ChildJvm(p);
    }

    static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The class path entries (directories or jars) the given classes were loaded from. */
    static String classPath(Class<?>... classes) {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : classes) {
            try {
                entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** Sends one command line to the child's stdin. */
    void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("sending '" + command + "' to child " + pid() + "; it said: " + seen, e);
        }
    }

    /** Sends the command, then waits for the child's reply line that starts with {@code replyPrefix}. */
    String ask(String command, String replyPrefix) {
        send(command);
        return awaitLine(l -> l.startsWith(replyPrefix), "a reply starting '" + replyPrefix + "' to '" + command + "'");
    }

    /**
     * Waits for the next output line that satisfies {@code wanted} (skipping others), at most
     * {@link #PATIENCE}; fails with everything the child said if it does not come.
     */
    String awaitLine(Predicate<String> wanted, String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        try {
            for (;;) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) throw new AssertionError("child " + pid() + " did not print " + what + " within " + PATIENCE + "; it printed: " + seen);
                if (line == EOF) {
                    lines.add(EOF); // later waits fail at once too
                    throw new AssertionError("child " + pid() + " ended without printing " + what + "; it printed: " + seen);
                }
                seen.add(line);
                if (wanted.test(line)) return line;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** Everything printed so far that a wait consumed. */
    List<String> seen() {
        return List.copyOf(seen);
    }

    /** Sends a real signal with the system's {@code kill}. */
    void signal(Signal signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -s " + signal.name() + " " + pid())
                .redirectErrorStream(true).start();
        String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kill.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -s " + signal.name() + " " + pid() + " failed: " + said);
        }
    }

    /** Waits for the child to end and returns its exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("child " + pid() + " did not exit within " + PATIENCE + "; it printed: " + seen);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
