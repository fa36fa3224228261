package io.lockstep.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread for tests that remembers how its body ended, so a failure inside it fails the test
 * that joins it (as the TCK's {@code CheckedRunnable} does).
 *
 * <pre>{@code
 * TestThread t = TestThread.start("waiter", () -> lock.lockInterruptibly());
 * t.awaitBlocked();
 * t.interrupt();
 * t.joinAndRethrow();
 * }</pre>
 */
public final class TestThread {
    /** A body that may throw anything. */
    @FunctionalInterface
    public interface Body {
        void run() throws Throwable;
    }

    /** How long a joined thread may take before the test fails (generous: 2 slow cores). */
    public static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);

    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private TestThread(Thread.Builder builder, String name, Body body) {
        this.thread = builder.name(name).unstarted(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
    }

    /** Starts {@code body} on a new platform thread. */
    public static TestThread start(String name, Body body) {
        TestThread t = new TestThread(Thread.ofPlatform().daemon(true), name, body);
        t.thread.start();
        return t;
    }

    /** Starts {@code body} on a new virtual thread. */
    public static TestThread startVirtual(String name, Body body) {
        TestThread t = new TestThread(Thread.ofVirtual(), name, body);
        t.thread.start();
        return t;
    }

    public Thread thread() {
        return thread;
    }

    public void interrupt() {
        thread.interrupt();
    }

    /** Waits until the thread is blocked (WAITING, TIMED_WAITING or BLOCKED); fails if it ends. */
    public TestThread awaitBlocked() {
        return awaitBlocked(JOIN_TIMEOUT);
    }

    /**
     * As {@link #awaitBlocked()}, but a thread that waits by spinning never blocks: after
     * {@code spinGrace} this returns anyway, the best a black-box test of a spin lock can do.
     */
    public TestThread awaitBlockedOrSpinning(Duration spinGrace) {
        return awaitBlocked(spinGrace, true);
    }

    private TestThread awaitBlocked(Duration limit) {
        return awaitBlocked(limit, false);
    }

    private TestThread awaitBlocked(Duration limit, boolean graceful) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Thread.State s = thread.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED) return this;
            if (s == Thread.State.TERMINATED) throw new AssertionError(thread.getName() + " ended instead of blocking", failure.get());
            if (System.nanoTime() - deadline > 0) {
                if (graceful) return this;
                throw new AssertionError(thread.getName() + " never blocked; state " + s);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** Joins (failing the test if it takes longer than {@link #JOIN_TIMEOUT}) and rethrows any failure. */
    public void joinAndRethrow() throws InterruptedException {
        join(JOIN_TIMEOUT);
        rethrow();
    }

    /** Joins for at most {@code timeout}; fails if the thread is still alive. */
    public void join(Duration timeout) throws InterruptedException {
        if (!thread.join(timeout)) {
            StringBuilder sb = new StringBuilder(thread.getName() + " did not finish in " + timeout + "; stack:");
            for (StackTraceElement e : thread.getStackTrace()) sb.append("\n\tat ").append(e);
            throw new AssertionError(sb.toString());
        }
    }

    /** Rethrows what the body threw, wrapped in an AssertionError, if anything. */
    public void rethrow() {
        Throwable t = failure.get();
        if (t != null) throw new AssertionError(thread.getName() + " failed: " + t, t);
    }

    /** What the body threw, or null. */
    public Throwable failure() {
        return failure.get();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }
}
