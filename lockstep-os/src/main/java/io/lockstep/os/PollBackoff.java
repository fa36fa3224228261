package io.lockstep.os;

import io.lockstep.internal.Deadline;
import java.util.concurrent.locks.LockSupport;

/**
 * How a thread waits for another process: nothing in this JVM will wake it, so it polls. The
 * first {@code spins} pauses are one {@code Thread.onSpinWait} each; later ones are timed parks
 * that double from a minimum to a maximum and never run past the deadline. One instance per wait.
 *
 * <pre>{@code
 * PollBackoff backoff = new PollBackoff(16, MIN_SLEEP_NANOS, MAX_SLEEP_NANOS);
 * while (!tryOnce()) {
 *     if (Deadline.expired(deadline)) return false;
 *     backoff.pause(this, deadline);
 * }
 * }</pre>
 */
final class PollBackoff {
    /*
     * Implementation notes: shared by FileMutex, SharedSemaphore, IpcChannel and MappedHeader,
     * which used four copies of this loop. The spin bound and the sleep cap are the callers' (a
     * file lock is polled more slowly than a ring); interrupts are left to the caller, which
     * decides whether one ends the wait.
     */
    private final int spins;
    private final long maxSleepNanos;
    private int round;
    private long sleepNanos;

    PollBackoff(int spins, long minSleepNanos, long maxSleepNanos) {
        this.spins = spins;
        this.sleepNanos = minSleepNanos;
        this.maxSleepNanos = maxSleepNanos;
    }

    /** One pause before the next poll; {@code blocker} is what a thread dump shows it waiting for. */
    void pause(Object blocker, long deadline) {
        if (round < spins) {
            round++;
            Thread.onSpinWait();
            return;
        }
        LockSupport.parkNanos(blocker, Math.min(sleepNanos, Deadline.remaining(deadline)));
        sleepNanos = Math.min(sleepNanos * 2, maxSleepNanos);
    }
}
