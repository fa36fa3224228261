package io.lockstep.cli.priority;

/**
 * A {@link SchedulerMutex} with the priority ceiling protocol: the mutex has a ceiling, the highest
 * priority of any task that will lock it, and a task holding it runs at that ceiling. So no task
 * that might want it can preempt the holder, and on one CPU nobody ever blocks on it: the inversion
 * never starts, and a high-priority task waits at most one critical section, before it even starts.
 *
 * <pre>{@code
 * CeilingMutex bus = new CeilingMutex(scheduler, 3);   // 3 = the priority of its highest user
 * }</pre>
 *
 * Locking it from a task whose priority is above the ceiling throws {@link IllegalStateException}
 * (the ceiling was set wrong), as POSIX's {@code EINVAL}.
 */
public final class CeilingMutex extends SchedulerMutex {
    /*
     * Implementation notes. Based on: Sha, Rajkumar and Lehoczky, "Priority Inheritance Protocols"
     * (IEEE ToC 1990), in its immediate form (the "highest locker" protocol of POSIX
     * PTHREAD_PRIO_PROTECT and Ada's ceiling locking): the priority is raised on lock rather than
     * on conflict. Rejected: the original protocol's lock-time test against the system ceiling
     * (it needs a global view of every held ceiling mutex and blocks tasks that would not have
     * conflicted; the immediate form gives the same worst-case bound with a simpler rule).
     */
    private final int ceiling;

    /** A free mutex for tasks of {@code scheduler} with priority ceiling {@code ceiling}. */
    public CeilingMutex(PriorityScheduler scheduler, int ceiling) {
        super(scheduler);
        this.ceiling = ceiling;
    }

    /** The ceiling given at construction. */
    public int ceiling() {
        return ceiling;
    }

    @Override
    int boost() {
        return ceiling;
    }

    @Override
    void checkAllowed(Task task) {
        if (task.basePriority() > ceiling) {
            throw new IllegalStateException(
                    task + " is above the ceiling " + ceiling + " of this mutex");
        }
    }
}
