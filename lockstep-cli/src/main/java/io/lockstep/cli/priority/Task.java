package io.lockstep.cli.priority;

import io.lockstep.internal.GuardedBy;
import java.util.ArrayList;
import java.util.List;

/**
 * A task of a {@link PriorityScheduler}: its priorities, and what was measured of it on the
 * scheduler's virtual clock (read them after {@link PriorityScheduler#run()} returns).
 *
 * <pre>{@code
 * Task high = scheduler.spawn("high", 3, 10, body);
 * scheduler.run();
 * high.blockedTicks();     // time spent waiting for mutexes
 * high.finishedAt();
 * }</pre>
 */
public final class Task {
    enum State {
        PENDING,
        READY,
        RUNNING,
        BLOCKED,
        DONE
    }

    private final String name;
    private final int basePriority;
    private final long releaseAt;
    final Runnable body;
    final long order; // FIFO among equal priorities

    // All below guarded by the scheduler's lock.
    @GuardedBy("scheduler.lock")
    State state = State.PENDING;

    @GuardedBy("scheduler.lock")
    int effective;

    @GuardedBy("scheduler.lock")
    boolean wantsTick; // waiting for the clock to move

    @GuardedBy("scheduler.lock")
    SchedulerMutex blockedOn;

    @GuardedBy("scheduler.lock")
    long blockedSince;

    @GuardedBy("scheduler.lock")
    final List<SchedulerMutex> held = new ArrayList<>();

    private volatile long startedAt = -1, finishedAt = -1, blockedTicks;
    private volatile int peakPriority;

    Task(String name, int priority, long releaseAt, Runnable body, long order) {
        this.name = name;
        this.basePriority = priority;
        this.effective = priority;
        this.peakPriority = priority;
        this.releaseAt = releaseAt;
        this.body = body;
        this.order = order;
    }

    /** The name given at spawn. */
    public String name() {
        return name;
    }

    /** The priority given at spawn (higher runs first). */
    public int basePriority() {
        return basePriority;
    }

    /** When it became ready, on the virtual clock. */
    public long releaseAt() {
        return releaseAt;
    }

    /** When it first got a CPU; -1 if never. */
    public long startedAt() {
        return startedAt;
    }

    /** When it finished; -1 if it has not. */
    public long finishedAt() {
        return finishedAt;
    }

    /** Ticks spent blocked waiting for scheduler mutexes. */
    public long blockedTicks() {
        return blockedTicks;
    }

    /** The highest effective priority it ran at (inherited or from a ceiling). */
    public int peakPriority() {
        return peakPriority;
    }

    void started(long now) {
        if (startedAt < 0) startedAt = now;
    }

    void finished(long now) {
        finishedAt = now;
    }

    void addBlocked(long ticks) {
        blockedTicks += ticks;
    }

    void setEffective(int p) {
        effective = p;
        if (p > peakPriority) peakPriority = p;
    }

    @Override
    public String toString() {
        return name + "(prio " + basePriority + ")";
    }
}
