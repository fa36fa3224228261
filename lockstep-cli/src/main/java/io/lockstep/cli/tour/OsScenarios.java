package io.lockstep.cli.tour;

import io.lockstep.lock.RawMutex;
import io.lockstep.os.FileMutex;
import io.lockstep.os.IpcChannel;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The tour of {@code lockstep-os}: real child JVMs ({@link OsChild}) started from this jar, sent
 * real signals, sharing a {@link FileMutex} with this process, and sending to it through an {@link
 * IpcChannel}.
 */
public final class OsScenarios implements ScenarioGroup {

    @Override
    public List<Scenario> scenarios() {
        return List.of(
                Scenario.of(
                        "os-signal",
                        "a child JVM shuts down gracefully on SIGTERM and reports what it finished",
                        OsScenarios::osSignal),
                Scenario.of(
                        "ipc-mutex",
                        "two processes, one lock file, never inside together; a holder killed with -9 releases it",
                        OsScenarios::ipcMutex),
                Scenario.of(
                        "ipc-channel",
                        "messages from two processes arrive complete and in per-producer order",
                        OsScenarios::ipcChannel));
    }

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static String osSignal() throws Exception {
        if (isWindows()) return "not run: Windows has no SIGTERM to send";
        try (Child child = Child.start("shutdown")) {
            child.awaitLine("working"::equals, "working");
            long sent = System.nanoTime();
            // SIGTERM on Linux and macOS; through the handle, as Process.destroy() would also close
            // the pipe its report comes through.
            child.process.toHandle().destroy();
            String report = child.awaitLine(l -> l.startsWith("stopped on"), "its shutdown report");
            int status = child.awaitExit();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            Check.that(report.startsWith("stopped on SIGTERM"), "the child reported: %s", report);
            String[] words = report.split("[: ,]+"); // stopped on SIGTERM N jobs started M finished
            Check.equal(words[3], words[6], "jobs started and jobs finished (none cut short)");
            Check.equal(
                    0,
                    status,
                    "the child's exit status (143 would mean the JVM was killed by the signal)");
            return "SIGTERM -> ShutdownSignal.await() returned; "
                    + words[6]
                    + " jobs finished, none cut short, exit 0, "
                    + millis
                    + " ms after the signal";
        }
    }

    private static String ipcMutex() throws Exception {
        Path dir = Files.createTempDirectory("lockstep-ipc-mutex");
        try {
            Path lock = dir.resolve("shared.lock"), log = dir.resolve("log.txt");
            int rounds = 50;
            try (Child holder = Child.start("mutex-hold", lock.toString())) {
                holder.awaitLine(l -> l.startsWith("locked"), "locked");
                try (FileMutex mutex = FileMutex.open(lock)) {
                    Check.that(
                            mutex.tryLock().isEmpty(),
                            "this process locked the file while the child held it");
                }
                try (Child worker =
                        Child.start("mutex-rounds", lock.toString(), log.toString(), "" + rounds)) {
                    worker.awaitLine("starting"::equals, "starting");
                    holder.process.destroyForcibly(); // kill -9 while holding
                    holder.awaitExit();
                    OsChild.mutexRounds(lock, log, rounds); // this process takes part too
                    worker.awaitLine("done"::equals, "done");
                    Check.equal(0, worker.awaitExit(), "the worker's exit status");
                }
            }
            List<String> lines = Files.readAllLines(log);
            Set<String> inside = new HashSet<>(), processes = new HashSet<>();
            int most = 0, sections = 0;
            for (String line : lines) {
                String who = line.substring(line.indexOf(' ') + 1);
                processes.add(who);
                if (line.startsWith("enter ")) {
                    inside.add(who);
                    most = Math.max(most, inside.size());
                } else if (inside.remove(who)) {
                    sections++;
                }
            }
            Check.equal(1, most, "processes inside at once, at most");
            Check.equal(2 * rounds, sections, "critical sections completed");
            Check.equal(
                    2, processes.size(), "processes that took part after the holder was killed");
            return "holder killed with -9 while locked; then 2 processes x "
                    + rounds
                    + " rounds, never both inside ("
                    + lines.size()
                    + " log lines checked)";
        } finally {
            deleteAll(dir);
        }
    }

    private static String ipcChannel() throws Exception {
        Path dir = Files.createTempDirectory("lockstep-ipc-channel");
        try {
            Path file = dir.resolve("channel.ipc");
            int capacity = 1 << 14, n = 5000;
            Map<String, Integer> next = new HashMap<>();
            try (IpcChannel channel = IpcChannel.open(file, capacity);
                    Child a = Child.start("ipc-send", file.toString(), "" + capacity, "a", "" + n);
                    Child b =
                            Child.start("ipc-send", file.toString(), "" + capacity, "b", "" + n)) {
                for (int i = 0; i < 2 * n; i++) {
                    Optional<byte[]> m = channel.recv(PATIENCE);
                    Check.that(
                            m.isPresent(),
                            "no message within %s after %s",
                            Tour.format(PATIENCE),
                            next);
                    String text = new String(m.get(), StandardCharsets.UTF_8);
                    String sender = text.substring(0, text.indexOf(' '));
                    int expected = next.getOrDefault(sender, 0);
                    Check.equal(
                            OsChild.message(sender, expected),
                            text,
                            "the next message of sender " + sender);
                    next.put(sender, expected + 1);
                }
                a.awaitLine("sent"::equals, "sent");
                b.awaitLine("sent"::equals, "sent");
            }
            Check.equal(Map.of("a", n, "b", n), next, "messages received per sender");
            return "2 processes x "
                    + n
                    + " messages through a "
                    + (capacity / 1024)
                    + " KiB ring: all whole, each sender's in order";
        } finally {
            deleteAll(dir);
        }
    }

    private static void deleteAll(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /**
     * A child JVM running {@link OsChild} from this jar (or class path), its output read by line.
     */
    private static final class Child implements AutoCloseable {
        private static final String EOF = new String("<end of output>");
        final Process process;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();

        private Child(Process process) {
            this.process = process;
            Thread.ofPlatform()
                    .daemon()
                    .name("os-child-" + process.pid())
                    .start(
                            () -> {
                                try (BufferedReader out =
                                        new BufferedReader(
                                                new InputStreamReader(
                                                        process.getInputStream(),
                                                        StandardCharsets.UTF_8))) {
                                    for (String line; (line = out.readLine()) != null; )
                                        lines.add(line);
                                } catch (IOException ended) {
                                    // EOF below
                                }
                                lines.add(EOF);
                            });
        }

        static Child start(String... args) throws IOException {
            List<String> command =
                    new ArrayList<>(
                            List.of(
                                    javaCommand(),
                                    "-XX:TieredStopAtLevel=1",
                                    "-XX:+UseSerialGC",
                                    "-Xmx64m",
                                    "-cp",
                                    classPath(OsChild.class, FileMutex.class, RawMutex.class),
                                    OsChild.class.getName()));
            command.addAll(List.of(args));
            return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        /** The java running this tour: the child runs the same code on the same JDK. */
        private static String javaCommand() {
            return ProcessHandle.current()
                    .info()
                    .command()
                    .orElseGet(
                            () ->
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString());
        }

        /**
         * Where these classes came from: the shaded jar, or the modules' class directories in a
         * build.
         */
        private static String classPath(Class<?>... classes) {
            Set<String> entries = new LinkedHashSet<>();
            for (Class<?> c : classes) {
                try {
                    entries.add(
                            Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
                                    .toString());
                } catch (URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            return String.join(File.pathSeparator, entries);
        }

        String awaitLine(Predicate<String> wanted, String what) throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            for (; ; ) {
                String line =
                        lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                Check.that(
                        line != null,
                        "the child did not print %s within %s; it printed %s",
                        what,
                        Tour.format(PATIENCE),
                        seen);
                Check.that(
                        line != EOF,
                        "the child ended without printing %s; it printed %s",
                        what,
                        seen);
                seen.add(line);
                if (wanted.test(line)) return line;
            }
        }

        int awaitExit() throws InterruptedException {
            Check.that(
                    process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS),
                    "the child did not exit within %s",
                    Tour.format(PATIENCE));
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
}
