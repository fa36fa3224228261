package io.lockstep.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

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
