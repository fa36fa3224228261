package io.lockstep.os;

import io.lockstep.internal.BackoffPolicy;

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
     * Implementation notes: shared by FileMutex, SharedSemaphore, SharedLatch, IpcChannel and
     * MappedHeader, which used copies of this loop. The schedule is the library's one
     * BackoffPolicy (spins of one pause each, no yields, then doubling timed parks); this class
     * only counts the rounds of one wait. The spin bound and the sleep cap are the callers' (a
     * file lock is polled more slowly than a ring); interrupts are left to the caller, which
     * decides whether one ends the wait.
     */
    private final BackoffPolicy policy;
    private int round;

    PollBackoff(int spins, long minSleepNanos, long maxSleepNanos) {
        this.policy = BackoffPolicy.spinThenYield(spins, 0, 0, false, 0).thenPark(minSleepNanos, maxSleepNanos);
    }

    /** One pause before the next poll; {@code blocker} is what a thread dump shows it waiting for. */
    void pause(Object blocker, long deadline) {
        policy.pause(round, blocker, deadline);
        if (round < Integer.MAX_VALUE) round++;              // parks stay at the cap past any count
    }
}
