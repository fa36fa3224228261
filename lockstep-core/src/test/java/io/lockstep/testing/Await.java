package io.lockstep.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls conditions: {@link #until} waits for something that must happen (failing after
 * {@link TestThread#JOIN_TIMEOUT}); {@link #holds} checks that something must-not-happen stays
 * away for a window, re-checking throughout rather than once after a sleep.
 */
public final class Await {
    private Await() {}

    /** Waits until {@code condition} holds. */
    public static void until(BooleanSupplier condition, String what) {
        until(condition, what, TestThread.JOIN_TIMEOUT);
    }

    /** Waits at most {@code limit} until {@code condition} holds. */
    public static void until(BooleanSupplier condition, String what, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out waiting until " + what);
            LockSupport.parkNanos(200_000);
        }
    }

    /**
     * Polls {@code probe} until its value satisfies {@code done}, and returns that value; fails
     * after {@link TestThread#JOIN_TIMEOUT}, showing the last value seen.
     */
    public static <T> T until(Supplier<? extends T> probe, Predicate<? super T> done, String what) {
        long deadline = System.nanoTime() + TestThread.JOIN_TIMEOUT.toNanos();
        for (;;) {
            T value = probe.get();
            if (done.test(value)) return value;
            if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out waiting until " + what + "; last seen: " + value);
            LockSupport.parkNanos(200_000);
        }
    }

    /** Waits until {@code thread} is blocked (WAITING or TIMED_WAITING) or has ended. */
    public static void blockedOrEnded(Thread thread) {
        until(() -> {
            Thread.State s = thread.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.TERMINATED;
        }, thread.getName() + " blocks or ends");
    }

    /**
     * Checks that {@code condition} stays true for all of {@code window}, failing as soon as it
     * does not. For "this thread must still be waiting" checks: no window can prove a negative,
     * but one that is re-checked catches what a single look after a sleep would miss.
     */
    public static void holds(Duration window, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + window.toNanos();
        do {
            if (!condition.getAsBoolean()) throw new AssertionError("no longer true: " + what);
            LockSupport.parkNanos(200_000);
        } while (System.nanoTime() - deadline < 0);
        if (!condition.getAsBoolean()) throw new AssertionError("no longer true: " + what);
    }
}
