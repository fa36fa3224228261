package io.lockstep.cli.priority;

/**
 * A {@link SchedulerMutex} with priority inheritance, as Linux's PI futexes and rt_mutex: while a
 * task waits for it, the holder runs at the waiter's priority if that is higher, and so on
 * transitively (if the holder itself waits for another PiMutex, that holder is raised too). A
 * high-priority task then waits at most for the critical sections in its way, never for
 * medium-priority work.
 *
 * <pre>{@code
 * PiMutex bus = new PiMutex(scheduler);
 * // low holds bus; when high blocks on it, low runs at high's priority until it unlocks
 * }</pre>
 */
public final class PiMutex extends SchedulerMutex {
    /*
     * Implementation notes. Based on: Linux rt_mutex / PI futexes (the waiter's priority walks
     * the chain of owners, each recomputing its priority as the max of its own and its PI
     * waiters'). Differences: the whole walk runs under the scheduler's one lock, so no chain
     * locking; chains end at a task that is not blocked on a PiMutex. On unlock the holder's
     * priority is recomputed from what it still holds (not just restored), so nested PI mutexes
     * release their boosts in any order.
     */

    /** A free mutex for tasks of {@code scheduler}. */
    public PiMutex(PriorityScheduler scheduler) {
        super(scheduler);
    }

    @Override
    int boost() {
        return topWaiterPriority();
    }

    @Override
    boolean inherits() {
        return true;
    }
}
