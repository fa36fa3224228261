package io.lockstep.storm;

import io.lockstep.testing.Storm;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The ways a storm's user gives up on (or keeps) an async operation's future: wait for it
 * (cancelling it if interrupted meanwhile), cancel it after a short random delay, or put an
 * {@code orTimeout} on it; then how it ended, for the storm's accounting.
 */
final class Abandon {
    private Abandon() {}

    /** Applies one of the three, at random, and returns once {@code f} is done. */
    static <T> void randomly(CompletableFuture<T> f, ThreadLocalRandom rnd) {
        switch (rnd.nextInt(3)) {
            case 0 -> {
                try {
                    f.get(Storm.STALL.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    f.cancel(false);
                } catch (ExecutionException | CancellationException | TimeoutException e) {
                    // inspected by the caller through outcome(); a stuck one fails awaitDone
                }
            }
            case 1 -> {
                int delay = rnd.nextInt(4);
                if (delay > 0) LockSupport.parkNanos(rnd.nextLong(1_000, 100_000));
                f.cancel(rnd.nextBoolean());
            }
            default -> f.orTimeout(rnd.nextLong(1, 300), TimeUnit.MICROSECONDS);
        }
        awaitDone(f);
    }

    /**
     * Waits until {@code f} is done, at most {@link Storm#STALL} (so not even a test thread that
     * waits for a future stuck forever can hang the build: {@code join} cannot be interrupted);
     * an interrupt meanwhile does not end the wait and stays set.
     */
    static void awaitDone(CompletableFuture<?> f) {
        long deadline = System.nanoTime() + Storm.STALL.toNanos();
        boolean interrupted = false;
        try {
            while (!f.isDone()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("not done after " + Storm.STALL.toSeconds() + " s: " + f);
                try {
                    f.get(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CancellationException | TimeoutException e) {
                    // done, or looked at again above
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** The value of a done future, or the exception it ended with (unwrapped). */
    static Object outcome(CompletableFuture<?> f) {
        try {
            return f.join();
        } catch (CancellationException e) {
            return e;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
