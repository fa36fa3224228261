package io.lockstep.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds, failing the test after {@link TestThread#JOIN_TIMEOUT}. */
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
}
