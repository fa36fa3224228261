package io.lockstep.cli;

import io.lockstep.cli.report.ContentionProfile.Span;
import io.lockstep.cli.report.ProfilePage;
import io.lockstep.lock.RawMutex;
import io.lockstep.sync.Latch;
import io.lockstep.sync.Permit;
import io.lockstep.sync.Semaphore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep demo}: a live view, in the terminal, of who holds and who waits for what.
 *
 * <pre>{@code
 * lockstep demo semaphore                  # 6 workers, 3 permits: never more than three █ at once
 * lockstep demo philosophers               # forks taken left then right: they deadlock
 * lockstep demo philosophers-ordered       # lower-numbered fork first: they never do
 * lockstep demo semaphore --svg demo.svg   # and save the timeline
 * }</pre>
 */
@Command(
        name = "demo",
        sortOptions = false,
        description = {
            "Shows live who holds (█) and who waits (░) for what in a small scenario: semaphore",
            "(6 workers, 3 permits), philosophers (forks left then right: a deadlock), or",
            "philosophers-ordered (lower fork first: none). --svg saves the timeline."
        })
final class DemoCommand implements Callable<Integer> {
    /*
     * Implementation notes.
     *
     * Each actor says what it holds and what it is about to wait for on a Board (plain volatile
     * slots, written only by that actor); a sampler thread reads the board every 50 ms and draws
     * one frame: a row per actor with its recent history, and what it waits for as the thread's
     * park blocker reports it (LockSupport.getBlocker: the primitive itself, issue 16). On a
     * terminal the frame is redrawn in place (ANSI cursor-up); otherwise one frame a second is
     * printed, as progress. The samples become the SVG timeline (ProfilePage's).
     */
    private static final int SAMPLE_MS = 50;
    private static final int HISTORY = 40;

    @Spec private CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "SCENARIO",
            description = "semaphore, philosophers or philosophers-ordered")
    private String scenario;

    @Option(
            names = "--seconds",
            paramLabel = "N",
            defaultValue = "4",
            description = "How long to run. Default: ${DEFAULT-VALUE}.")
    private int seconds;

    @Option(
            names = "--svg",
            paramLabel = "FILE",
            description = "Save the timeline of holds and waits as an SVG file.")
    private Path svg;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    private boolean help;

    /** What each actor holds and waits for; each slot written by its actor only. */
    static final class Board {
        final String[] names;
        final Thread[] threads;
        final String[] holds;
        final String[] waits;

        Board(int n, String prefix) {
            names = new String[n];
            threads = new Thread[n];
            holds = new String[n];
            waits = new String[n];
            for (int i = 0; i < n; i++) names[i] = prefix + " " + i;
        }

        synchronized void set(int i, String holding, String waiting) { // never blocks: two stores
            holds[i] = holding;
            waits[i] = waiting;
        }

        synchronized String[] state(int i) {
            return new String[] {holds[i], waits[i]};
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (seconds < 1 || seconds > 60) {
            err.println("--seconds must be between 1 and 60, not " + seconds);
            return ExitCode.USAGE;
        }
        Board board;
        List<Runnable> actors = new ArrayList<>();
        AtomicInteger meals = new AtomicInteger();
        int permits = 3;
        switch (scenario) {
            case "semaphore" -> {
                board = new Board(6, "worker");
                Semaphore pool = new Semaphore(permits).named("pool");
                for (int i = 0; i < 6; i++) {
                    int id = i;
                    actors.add(
                            () -> {
                                while (!Thread.currentThread().isInterrupted()) {
                                    board.set(id, null, "a permit of pool");
                                    try (Permit p = pool.acquireInterruptibly()) {
                                        board.set(id, "a permit of pool", null);
                                        meals.incrementAndGet();
                                        Thread.sleep(ThreadLocalRandom.current().nextInt(100, 300));
                                        board.set(
                                                id, null,
                                                null); // before the permit goes back: the view
                                        // never shows 4
                                    } catch (InterruptedException e) {
                                        board.set(id, null, null);
                                        return;
                                    }
                                    LockSupport.parkNanos(
                                            Duration.ofMillis(
                                                            ThreadLocalRandom.current()
                                                                    .nextInt(20, 120))
                                                    .toNanos());
                                }
                            });
                }
            }
            case "philosophers", "philosophers-ordered" -> {
                boolean ordered = scenario.equals("philosophers-ordered");
                board = new Board(5, "philosopher");
                RawMutex[] forks = new RawMutex[5];
                for (int i = 0; i < 5; i++) forks[i] = new RawMutex().named("fork " + i);
                // Left then right: everybody sits down at once and takes the left fork before
                // anyone
                // reaches right, so the deadlock is shown every run, not only when the timing
                // allows it.
                Latch seated = new Latch(ordered ? 0 : 5).named("all seated");
                for (int i = 0; i < 5; i++) {
                    int id = i;
                    int left = i;
                    int right = (i + 1) % 5;
                    int first = ordered ? Math.min(left, right) : left;
                    int second = ordered ? Math.max(left, right) : right;
                    actors.add(
                            () -> {
                                try {
                                    while (!Thread.currentThread().isInterrupted()) {
                                        board.set(id, null, "fork " + first);
                                        forks[first].lockInterruptibly();
                                        try {
                                            board.set(id, "fork " + first, "fork " + second);
                                            seated.countDown();
                                            seated.await(); // open at once after the first round
                                            Thread.sleep(
                                                    60); // long enough for the neighbours to take
                                            // theirs
                                            forks[second].lockInterruptibly();
                                            try {
                                                board.set(
                                                        id,
                                                        "fork " + first + ", fork " + second,
                                                        null);
                                                meals.incrementAndGet();
                                                Thread.sleep(
                                                        ThreadLocalRandom.current()
                                                                .nextInt(30, 90));
                                            } finally {
                                                forks[second].unlock();
                                            }
                                        } finally {
                                            forks[first].unlock();
                                        }
                                        board.set(id, null, null);
                                        Thread.sleep(
                                                ThreadLocalRandom.current()
                                                        .nextInt(10, 60)); // thinking
                                    }
                                } catch (InterruptedException e) {
                                    board.set(id, null, null);
                                }
                            });
                }
            }
            default -> {
                err.println(
                        "Unknown scenario '"
                                + scenario
                                + "': semaphore, philosophers or philosophers-ordered");
                return ExitCode.USAGE;
            }
        }
        return run(board, actors, meals, permits, out);
    }

    private int run(
            Board board, List<Runnable> actors, AtomicInteger meals, int permits, PrintWriter out)
            throws IOException, InterruptedException {
        boolean live =
                System.console() != null
                        && spec.commandLine().getOut() != null
                        && System.getenv("TERM") != null
                        && !"dumb".equals(System.getenv("TERM"));
        int n = actors.size();
        StringBuilder[] history = new StringBuilder[n];
        List<List<Span>> spans = new ArrayList<>();
        String[] open = new String[n]; // "hold:what" or "wait:what" of the current run of samples
        Instant[] openSince = new Instant[n];
        for (int i = 0; i < n; i++) {
            history[i] = new StringBuilder();
            spans.add(new ArrayList<>());
            board.threads[i] =
                    Thread.ofPlatform().name(board.names[i]).daemon(true).start(actors.get(i));
        }
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        int maxHolders = 0;
        int frames = 0;
        int allWaiting = 0;
        boolean deadlock = false;
        int drawn = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(SAMPLE_MS);
            Instant now = Instant.now();
            int holders = 0;
            int waiters = 0;
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String[] s = board.state(i);
                boolean waiting = s[1] != null;
                boolean holding = s[0] != null;
                // A philosopher with one fork who waits for the next counts as waiting; one with
                // both, as holding.
                if (holding && !waiting) holders++;
                if (waiting) waiters++;
                char c = waiting ? '░' : holding ? '█' : '·';
                history[i].append(c);
                if (history[i].length() > HISTORY) history[i].deleteCharAt(0);
                String state = waiting ? "wait:" + s[1] : holding ? "hold:" + s[0] : null;
                if (!java.util.Objects.equals(state, open[i])) {
                    close(spans.get(i), board.names[i], open[i], openSince[i], now);
                    open[i] = state;
                    openSince[i] = now;
                }
                Object blocker = LockSupport.getBlocker(board.threads[i]);
                lines.add(
                        String.format(
                                Locale.ROOT,
                                "%-14s %s  %s",
                                board.names[i],
                                history[i],
                                waiting
                                        ? "waits for "
                                                + s[1]
                                                + (holding ? ", holding " + s[0] : "")
                                                + (blocker != null
                                                        ? "  (parked on " + blocker + ")"
                                                        : "")
                                        : holding ? "holds " + s[0] : "idle"));
            }
            if (scenario.equals("semaphore")) maxHolders = Math.max(maxHolders, holders);
            allWaiting = waiters == n ? allWaiting + 1 : 0;
            frames++;
            if (live) {
                if (drawn > 0) out.print("\u001b[" + drawn + "A");
                for (String l : lines) out.println(l + "\u001b[K");
                drawn = lines.size();
                out.flush();
            } else if (frames % (1000 / SAMPLE_MS) == 0) {
                out.println(
                        String.format(
                                Locale.ROOT,
                                "t=%.1fs: %d holding, %d waiting",
                                frames * SAMPLE_MS / 1000.0,
                                holders,
                                waiters));
                out.flush();
            }
            if (allWaiting * SAMPLE_MS
                    >= 500) { // everyone waiting half a second: they wait for each other
                deadlock = true;
                if (!live) lines.forEach(out::println);
                break;
            }
        }
        Instant stop = Instant.now();
        for (int i = 0; i < n; i++)
            close(spans.get(i), board.names[i], open[i], openSince[i], stop);
        for (Thread t : board.threads) t.interrupt();
        for (Thread t : board.threads) t.join(2000);
        if (!live && !deadlock) {
            for (int i = 0; i < n; i++)
                out.println(String.format(Locale.ROOT, "%-14s %s", board.names[i], history[i]));
        }
        out.println("█ holds  ░ waits  · idle; one column per " + SAMPLE_MS + " ms");
        switch (scenario) {
            case "semaphore" ->
                    out.println(
                            "At most "
                                    + maxHolders
                                    + " workers held a permit at once (the pool has "
                                    + permits
                                    + "; never more than "
                                    + permits
                                    + "); "
                                    + meals.get()
                                    + " acquisitions.");
            case "philosophers" ->
                    out.println(
                            deadlock
                                    ? "Deadlock: every philosopher holds the fork on their left and waits for the one on their right."
                                    : "No deadlock this time ("
                                            + meals.get()
                                            + " meals): the left-then-right order can deadlock; run it again.");
            default ->
                    out.println(
                            deadlock
                                    ? "Everyone waited at once (unexpected with ordered forks)."
                                    : "No deadlock: "
                                            + meals.get()
                                            + " meals, every philosopher takes the lower-numbered fork first.");
        }
        if (svg != null) {
            List<Span> all = spans.stream().flatMap(List::stream).toList();
            String body =
                    all.isEmpty()
                            ? "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"
                            : ProfilePage.timeline(all);
            Files.writeString(
                    svg,
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            + body.replaceFirst(
                                    "<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" "),
                    StandardCharsets.UTF_8);
            out.println("Wrote " + svg);
        }
        out.flush();
        return scenario.equals("philosophers-ordered") && deadlock
                ? ExitCode.SOFTWARE
                : ExitCode.OK;
    }

    /** Ends a run of equal samples as a timeline span. */
    private static void close(
            List<Span> spans, String thread, String state, Instant since, Instant now) {
        if (state == null || since == null) return;
        boolean hold = state.startsWith("hold:");
        spans.add(
                new Span(
                        state.substring(5),
                        hold ? "hold" : "wait",
                        thread,
                        since,
                        Duration.between(since, now).toNanos(),
                        ""));
    }
}
