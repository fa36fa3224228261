package io.lockstep.testing;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A stress run with a watchdog: worker threads (virtual and platform) report progress, an
 * optional chaos thread interrupts them at random, and every wait of the test thread goes through
 * {@link #until}, which fails the test — with a thread dump — as soon as a worker fails or
 * nothing progressed for {@link #STALL}. So a lost wake-up or a livelock becomes a failure
 * within seconds that shows where everyone was, never a hang.
 *
 * <pre>{@code
 * try (Storm storm = new Storm("channel")) {
 *     storm.start(true, "consumer", () -> { ...; storm.progress(); });
 *     storm.chaos(storm.workers(), 200);
 *     storm.until(() -> received.get() == total, "every message received");
 *     storm.joinAll();
 * }
 * }</pre>
 *
 * Sizes scale with {@code -Dlockstep.storm.scale} (default 1; 10 or more for long local runs);
 * the stall limit is {@code -Dlockstep.storm.stallSeconds} (default 10).
 */
public final class Storm implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * Progress is a LongAdder so that reporting it does not serialize the workers on one cache
     * line (which would change the schedules the storm is meant to produce). The watchdog is the
     * test thread itself, polling every millisecond: no extra thread to leak when a test fails.
     * On failure the workers are interrupted and abandoned (virtual and daemon threads), since a
     * worker stuck in a livelock cannot be stopped anyway.
     *
     * The dump: Thread.getAllStackTraces() lists platform threads only; the storm's own workers
     * are listed from their Thread objects (getStackTrace works for virtual threads), grouped by
     * identical stacks; and a full dump, virtual threads included, is written with
     * HotSpotDiagnosticMXBean.dumpThreads, reached by reflection because lockstep-core's module
     * (which tests are compiled into) does not read java.management / jdk.management.
     */

    /** How long nothing may progress before the storm fails. */
    public static final Duration STALL = Duration.ofSeconds(Long.getLong("lockstep.storm.stallSeconds", 10));
    /** The longest a storm may run in all, whatever its progress. */
    public static final Duration LIMIT = Duration.ofSeconds(Long.getLong("lockstep.storm.limitSeconds", 100));
    private static final double SCALE = Double.parseDouble(System.getProperty("lockstep.storm.scale", "1"));

    private final String name;
    private final long startNanos = System.nanoTime();
    private final LongAdder progress = new LongAdder();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> helpers = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    /** A storm named {@code name} (shown in failures and dump file names). */
    public Storm(String name) {
        this.name = name;
    }

    /** {@code n} scaled by {@code -Dlockstep.storm.scale}, at least 1. */
    public static int size(int n) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, Math.round(n * SCALE)));
    }

    /** Records one unit of progress (an operation completed, a message moved). */
    public void progress() {
        progress.increment();
    }

    /** Progress so far. */
    public long progressCount() {
        return progress.sum();
    }

    /** Whether the storm is ending (the test is done or failed): long-running workers should stop. */
    public boolean stopping() {
        return stopping;
    }

    /** Starts a worker; whatever it throws fails the storm at the next {@link #until}. */
    public Thread start(boolean virtual, String threadName, TestThread.Body body) {
        Runnable run = () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(new AssertionError(Thread.currentThread().getName() + " failed: " + t, t));
            }
        };
        Thread t = virtual ? Thread.ofVirtual().name(threadName).unstarted(run)
                : Thread.ofPlatform().daemon(true).name(threadName).unstarted(run);
        workers.add(t);
        t.start();
        return t;
    }

    /** Starts {@code count} workers, alternately virtual and platform (even index: virtual). */
    public List<Thread> startMixed(int count, String prefix, IndexedBody body) {
        return start(count - count / 2, count / 2, prefix, body);
    }

    /**
     * Starts {@code virtual} virtual and {@code platform} platform workers, interleaved, indexed
     * from 0; names end in -v or -p.
     */
    public List<Thread> start(int virtual, int platform, String prefix, IndexedBody body) {
        List<Thread> started = new ArrayList<>();
        for (int i = 0, v = 0, p = 0; v < virtual || p < platform; i++) {
            boolean isVirtual = p >= platform || (v < virtual && (long) v * platform <= (long) p * virtual);
            if (isVirtual) v++; else p++;
            int index = i;
            started.add(start(isVirtual, prefix + "-" + i + (isVirtual ? "-v" : "-p"), () -> body.run(index)));
        }
        return started;
    }

    /** A worker body that knows its index. */
    @FunctionalInterface
    public interface IndexedBody {
        void run(int index) throws Throwable;
    }

    /** The workers started so far. */
    public List<Thread> workers() {
        return List.copyOf(workers);
    }

    /**
     * Starts a platform thread that, until the storm stops, interrupts one of {@code targets}
     * at random about every {@code periodMicros} microseconds.
     */
    public void chaos(List<Thread> targets, long periodMicros) {
        Thread t = Thread.ofPlatform().daemon(true).name(name + "-chaos").start(() -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (!stopping) {
                LockSupport.parkNanos(rnd.nextLong(1, 2 * periodMicros + 1) * 1_000);
                targets.get(rnd.nextInt(targets.size())).interrupt();
            }
        });
        helpers.add(t);
    }

    /**
     * Waits until {@code condition} holds. Fails at once if a worker failed, with a thread dump
     * if no progress was reported for {@link #STALL}, or if the storm ran past {@link #LIMIT}.
     */
    public void until(BooleanSupplier condition, String what) {
        long last = progress.sum(), lastChange = System.nanoTime(), pause = 10_000;
        while (!condition.getAsBoolean()) {
            checkFailures();
            LockSupport.parkNanos(pause);
            pause = Math.min(1_000_000, 2 * pause);       // quick to notice, then 1 ms polls
            long now = System.nanoTime(), p = progress.sum();
            if (p != last) {
                last = p;
                lastChange = now;
            } else if (now - lastChange > STALL.toNanos()) {
                throw fail("stalled: no progress for " + STALL.toSeconds() + " s (" + p + " steps so far) while waiting until " + what);
            }
            if (now - startNanos > LIMIT.toNanos()) {
                throw fail("ran past " + LIMIT.toSeconds() + " s (" + p + " steps) while waiting until " + what);
            }
        }
        checkFailures();
    }

    /**
     * For a worker: waits for a signal from the test thread (its next round), parking, keeping
     * the interrupt status for the worker to find afterwards (an interrupt arriving meanwhile
     * would otherwise make every park return at once: a spin); fails after {@link #STALL}.
     */
    public void awaitSignal(BooleanSupplier ready) {
        long deadline = System.nanoTime() + STALL.toNanos();
        boolean interrupted = false;
        while (!ready.getAsBoolean()) {
            interrupted |= Thread.interrupted();
            if (stopping || System.nanoTime() - deadline > 0) throw new AssertionError("no signal from the test thread");
            LockSupport.parkNanos(20_000);
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Waits (as {@link #until}) for every worker to end, then rethrows any failure. */
    public void joinAll() {
        until(() -> workers.stream().noneMatch(Thread::isAlive), "every worker ended");
        checkFailures();
    }

    /** Fails the storm now: stops it and returns an error carrying {@code why} and a thread dump. */
    public AssertionError fail(String why) {
        String dump = dump();
        stop();
        return new AssertionError("storm " + name + " " + why + "\n" + dump);
    }

    private void checkFailures() {
        Throwable first = failures.peek();
        if (first == null) return;
        AssertionError e = fail("failed in a worker: " + first);
        for (Throwable t : failures) e.addSuppressed(t);
        throw e;
    }

    private void stop() {
        stopping = true;
        for (Thread t : workers) t.interrupt();
    }

    /** Stops the chaos thread; interrupts workers still running (only after a failure, normally). */
    @Override
    public void close() {
        stopping = true;
        for (Thread t : helpers) t.interrupt();
        for (Thread t : helpers) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Thread t : workers) if (t.isAlive()) t.interrupt();
    }

    // ---------------------------------------------------------------- thread dump

    /** A thread dump: this storm's live workers grouped by stack, every platform thread, and a full dump file. */
    public String dump() {
        StringBuilder sb = new StringBuilder();
        sb.append("full thread dump, virtual threads included: ").append(fullDump()).append('\n');
        Map<String, List<String>> byStack = new LinkedHashMap<>();
        for (Thread t : workers) {
            if (!t.isAlive()) continue;
            byStack.computeIfAbsent(stack(t.getStackTrace()), k -> new ArrayList<>()).add(t.getName() + " " + t.getState());
        }
        sb.append("--- live workers of storm ").append(name).append(", by stack ---\n");
        byStack.forEach((stack, names) -> sb.append(names.size()).append(" x ")
                .append(names.size() > 8 ? names.subList(0, 8) + "..." : names).append('\n').append(stack));
        sb.append("--- platform threads ---\n");
        Thread.getAllStackTraces().forEach((t, trace) -> {
            if (workers.contains(t)) return;
            sb.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n').append(stack(trace));
        });
        return sb.toString();
    }

    private static String stack(StackTraceElement[] trace) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : trace) sb.append("\tat ").append(e).append('\n');
        return sb.toString();
    }

    /** Writes a full dump (virtual threads included) under target/storm-dumps; returns its path or why not. */
    private String fullDump() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "storm-dumps")).toAbsolutePath();
            Path file = dir.resolve(name.replaceAll("[^A-Za-z0-9_-]", "_") + "-" + System.currentTimeMillis() + ".txt");
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Class<?> bean = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<?> format = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Object diagnostic = factory.getMethod("getPlatformMXBean", Class.class).invoke(null, bean);
            Object text = null;
            for (Object c : format.getEnumConstants()) if (c.toString().equals("TEXT_PLAIN")) text = c;
            Method dumpThreads = bean.getMethod("dumpThreads", String.class, format);
            dumpThreads.invoke(diagnostic, file.toString(), text);
            return file.toString();
        } catch (Throwable e) {
            return "(not written: " + e + ")";
        }
    }
}
