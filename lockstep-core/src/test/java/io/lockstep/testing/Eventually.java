package io.lockstep.testing;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline, for tests that must see another thread reach a state
 * (parked, queued) before acting: no {@code Thread.sleep} guesses.
 *
 * <pre>{@code
 * Eventually.until(() -> semaphore.getQueueLength() == 1, "the waiter queued");
 * }</pre>
 */
public final class Eventually {
    private static final long TIMEOUT_NANOS = 20_000_000_000L;

    private Eventually() {}

    /** Returns once {@code condition} holds; fails with {@code what} after 20 s. */
    public static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out waiting until " + what);
            LockSupport.parkNanos(100_000);
        }
    }

    /** Returns once {@code thread} is blocked (parked or waiting); fails after 20 s. */
    public static void parked(Thread thread) {
        until(() -> {
            Thread.State s = thread.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        }, thread.getName() + " parks");
    }
}
