package io.lockstep.cli.priority;

import io.lockstep.internal.GuardedBy;
import java.util.ArrayList;
import java.util.List;

/**
 * A mutex for tasks of one {@link PriorityScheduler}, with no priority protocol: waiters are woken
 * highest priority first, but a low-priority holder keeps its priority, so medium-priority tasks
 * can keep a high-priority waiter waiting without bound (priority inversion). The baseline that
 * {@link PiMutex} and {@link CeilingMutex} fix.
 *
 * <pre>{@code
 * SchedulerMutex bus = new SchedulerMutex(scheduler);
 * scheduler.spawn("low", 1, 0, () -> { bus.lock(); try { scheduler.work(5); } finally { bus.unlock(); } });
 * }</pre>
 *
 * Lock and unlock only from tasks of its scheduler. Not reentrant; unlock by a non-holder throws
 * {@link IllegalMonitorStateException}.
 */
public sealed class SchedulerMutex permits PiMutex, CeilingMutex {
    final PriorityScheduler scheduler;

    @GuardedBy("scheduler.lock")
    Task owner;

    @GuardedBy("scheduler.lock")
    final List<Task> waiters = new ArrayList<>();

    /** A free mutex for tasks of {@code scheduler}. */
    public SchedulerMutex(PriorityScheduler scheduler) {
        this.scheduler = java.util.Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Takes the mutex, blocking (and giving up the CPU) while another task holds it. */
    public void lock() {
        scheduler.lock(this);
    }

    /** Releases the mutex to its highest-priority waiter; a scheduling point. */
    public void unlock() {
        scheduler.unlock(this);
    }

    /** The priority a holder gets from this mutex alone (none: its base decides). */
    @GuardedBy("scheduler.lock")
    int boost() {
        return Integer.MIN_VALUE;
    }

    /** Checks that {@code task} may take it at all. */
    void checkAllowed(Task task) {}

    /** Whether a task blocked here passes its priority to the holder. */
    boolean inherits() {
        return false;
    }

    @GuardedBy("scheduler.lock")
    final int topWaiterPriority() {
        int p = Integer.MIN_VALUE;
        for (Task w : waiters) p = Math.max(p, w.effective);
        return p;
    }
}
