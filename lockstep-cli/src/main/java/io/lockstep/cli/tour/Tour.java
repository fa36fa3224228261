package io.lockstep.cli.tour;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The catalog of scenarios shown by {@code lockstep tour}, and the runner that runs one.
 *
 * <p>To add a group of scenarios, add one line to the array in {@code groups()}; nothing else
 * refers to it. A test of the CLI module runs every scenario of the catalog, so a scenario that
 * stops holding fails the build.
 *
 * <pre>{@code
 * Tour tour = Tour.catalog();
 * for (Scenario scenario : tour.scenarios()) {
 *   System.out.println(Tour.run(scenario, Tour.DEFAULT_TIMEOUT).line());
 * }
 * }</pre>
 */
public final class Tour {

    /** How long a scenario may run before it fails as stuck. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Every scenario group, in the order the tour shows them. One line per group, with a trailing
     * comma, so that adding a group is a one-line change. Groups appear roughly in the order a
     * reader meets the primitives: locks first, then what is built on them.
     */
    private static ScenarioGroup[] groups() {
        return new ScenarioGroup[] {
            new MutexScenarios(),
            new SyncScenarios(),
            new ChannelScenarios(),
            new AsyncScenarios(),
            new ObserverPromiseScenarios(),
            new LowLevelScenarios(),
            new RcuStmScenarios(),
            new DeadlockScenarios(),
            new ZooKeeperScenarios(),
            new OsScenarios(),
        };
    }

    private final List<Scenario> scenarios;

    private Tour(List<Scenario> scenarios) {
        this.scenarios = scenarios;
    }

    /**
     * The tour of the whole library.
     *
     * @return the catalog's scenarios
     * @throws IllegalStateException if two scenarios share a name or one is malformed
     */
    public static Tour catalog() {
        return of(groups());
    }

    /**
     * A tour of the given groups; the catalog is one, tests make others.
     *
     * @param groups the groups, in the order to show them
     * @return the tour
     * @throws IllegalStateException if two scenarios share a name, or a name or description is
     *     blank or spans lines, or a name has whitespace (it is typed on the command line)
     */
    public static Tour of(ScenarioGroup... groups) {
        Map<String, String> ownerByName = new LinkedHashMap<>();
        List<Scenario> all = new ArrayList<>();
        for (ScenarioGroup group : groups) {
            String owner = group.getClass().getSimpleName();
            for (Scenario scenario : group.scenarios()) {
                String name = scenario.name();
                String description = scenario.description();
                if (name == null || name.isBlank() || !name.equals(name.replaceAll("\\s", ""))) {
                    throw new IllegalStateException(
                            owner
                                    + " has a scenario named '"
                                    + name
                                    + "'; a name must be one word");
                }
                if (description == null
                        || description.isBlank()
                        || description.lines().count() > 1) {
                    throw new IllegalStateException(
                            "scenario '"
                                    + name
                                    + "' of "
                                    + owner
                                    + " needs a one-line description");
                }
                String previous = ownerByName.putIfAbsent(name, owner);
                if (previous != null) {
                    throw new IllegalStateException(
                            "scenario name '"
                                    + name
                                    + "' is used twice: by "
                                    + previous
                                    + " and by "
                                    + owner);
                }
                all.add(scenario);
            }
        }
        return new Tour(List.copyOf(all));
    }

    /**
     * The scenarios, groups in catalog order.
     *
     * @return an unmodifiable list
     */
    public List<Scenario> scenarios() {
        return scenarios;
    }

    /**
     * The scenario with this exact name.
     *
     * @param name a scenario name
     * @return the scenario, or empty
     */
    public Optional<Scenario> find(String name) {
        return scenarios.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Names a user may have meant by a name that is not in the tour: a few typos away, or
     * containing what was typed (so {@code mutex} suggests every {@code mutex-...}), closest first.
     *
     * @param typed the unknown name
     * @return up to eight names, possibly none
     */
    public List<String> closeNames(String typed) {
        String wanted = typed.toLowerCase(Locale.ROOT);
        // A third of the length: one typo in a short name, more in a long one, never a
        // different word altogether.
        int tolerance = Math.max(1, wanted.length() / 3);
        record Candidate(String name, int distance) {}
        List<Candidate> candidates = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            String name = scenario.name();
            String lower = name.toLowerCase(Locale.ROOT);
            int distance = editDistance(wanted, lower);
            if (distance <= tolerance || (wanted.length() >= 3 && lower.contains(wanted))) {
                candidates.add(new Candidate(name, distance));
            }
        }
        candidates.sort(
                Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::name));
        return candidates.stream().limit(8).map(Candidate::name).toList();
    }

    /** Levenshtein distance: insertions, deletions and substitutions each cost one. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * Runs one scenario on a new platform thread and waits for it at most {@code timeout}.
     *
     * <p>A platform thread of its own, because scenarios block, park and count threads; a virtual
     * thread or the caller's thread would change what they measure, and a stuck scenario would take
     * the caller with it. If the timeout passes, the scenario fails with the stack of its thread
     * (where it is stuck) and the thread is interrupted; being a daemon, a thread that ignores the
     * interrupt does not keep the JVM alive.
     *
     * @param scenario the scenario
     * @param timeout how long it may run
     * @return how it ended; never throws for anything the scenario does
     */
    public static Outcome run(Scenario scenario, Duration timeout) {
        String name = scenario.name();
        AtomicReference<Object> result = new AtomicReference<>(); // its String, or what it threw
        Thread thread =
                Thread.ofPlatform()
                        .name("tour-" + name)
                        .daemon(true)
                        .unstarted(
                                () -> {
                                    try {
                                        result.set(
                                                Objects.requireNonNullElse(
                                                        scenario.run(), NO_RESULT));
                                    } catch (Throwable t) {
                                        result.set(t);
                                    }
                                });
        long start = System.nanoTime();
        thread.start();
        try {
            if (!thread.join(timeout)) {
                return timedOut(name, thread, timeout);
            }
        } catch (InterruptedException e) {
            // Whoever runs the tour wants it to stop: stop the scenario too, and say so.
            thread.interrupt();
            Thread.currentThread().interrupt();
            return new Outcome(name, false, "interrupted while running", "", since(start));
        }
        Duration elapsed = since(start);
        Object value = result.get();
        if (value == NO_RESULT) {
            return new Outcome(
                    name, false, "run() returned null instead of what it showed", "", elapsed);
        }
        if (value instanceof String shown) {
            return shown.isBlank()
                    ? new Outcome(
                            name,
                            false,
                            "run() returned a blank text for what it showed",
                            "",
                            elapsed)
                    : new Outcome(name, true, shown, "", elapsed);
        }
        Throwable thrown = (Throwable) value;
        if (thrown instanceof ScenarioFailure) {
            return new Outcome(name, false, String.valueOf(thrown.getMessage()), "", elapsed);
        }
        return new Outcome(name, false, describe(thrown), stackTrace(thrown), elapsed);
    }

    /** Stands for a null returned by {@link Scenario#run()}, which the result cannot hold. */
    private static final Object NO_RESULT = new Object();

    private static Outcome timedOut(String name, Thread thread, Duration timeout) {
        // The stack is taken before the interrupt, which would unwind it.
        StackTraceElement[] stack = thread.getStackTrace();
        Thread.State state = thread.getState();
        thread.interrupt();
        StringBuilder details = new StringBuilder();
        details.append("  thread \"").append(thread.getName()).append("\" (").append(state);
        details.append(") was stuck at:");
        for (StackTraceElement frame : stack) {
            details.append(System.lineSeparator()).append("    at ").append(frame);
        }
        String where = firstOwnFrame(stack).map(f -> ", stuck in " + shortFrame(f)).orElse("");
        return new Outcome(
                name,
                false,
                "timed out after " + format(timeout) + where,
                details.toString(),
                timeout);
    }

    private static String describe(Throwable thrown) {
        String text = "threw " + thrown.getClass().getSimpleName();
        if (thrown.getMessage() != null) {
            text += ": " + thrown.getMessage();
        }
        return text
                + firstOwnFrame(thrown.getStackTrace()).map(f -> " at " + shortFrame(f)).orElse("");
    }

    private static String stackTrace(Throwable thrown) {
        java.io.StringWriter text = new java.io.StringWriter();
        thrown.printStackTrace(new java.io.PrintWriter(text));
        return text.toString().stripTrailing().indent(2).stripTrailing();
    }

    /**
     * The innermost frame outside the JDK: where a parked thread's own code is waiting, rather than
     * {@code Unsafe.park}.
     */
    private static Optional<StackTraceElement> firstOwnFrame(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String type = frame.getClassName();
            if (!(type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun."))) {
                return Optional.of(frame);
            }
        }
        return stack.length == 0 ? Optional.empty() : Optional.of(stack[0]);
    }

    private static String shortFrame(StackTraceElement frame) {
        String type = frame.getClassName();
        String simple = type.substring(type.lastIndexOf('.') + 1);
        String line = frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "";
        String where = frame.getFileName() == null ? "" : " (" + frame.getFileName() + line + ")";
        return simple + "." + frame.getMethodName() + where;
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * A duration the way a person writes it: {@code 30 s}, {@code 250 ms}, {@code 2 min}.
     *
     * @param duration a duration
     * @return its text
     */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % TimeUnit.MINUTES.toMillis(1) == 0 && millis > 0) {
            return duration.toMinutes() + " min";
        }
        if (millis % 1000 == 0 && millis > 0) {
            return duration.toSeconds() + " s";
        }
        if (millis >= 1000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return millis + " ms";
    }

    @Override
    public String toString() {
        return "Tour" + scenarios.stream().map(Scenario::name).toList();
    }
}
