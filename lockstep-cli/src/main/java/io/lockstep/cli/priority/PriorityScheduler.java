package io.lockstep.cli.priority;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs tasks by priority on a fixed number of simulated CPUs, on a virtual clock: Java thread
 * priorities mean nothing on Linux, so priority (and priority inversion) has to be scheduled in
 * user space to be studied or relied on. A task runs only while it holds a CPU; at every scheduling
 * point ({@link #work} ticking the clock, {@link #checkpoint()}, blocking on or releasing a {@link
 * SchedulerMutex}, finishing) the highest-priority ready tasks get the CPUs, preempting lower ones.
 * Nothing depends on real time, so every run is the same.
 *
 * <pre>{@code
 * PriorityScheduler s = new PriorityScheduler(1);           // one CPU
 * PiMutex bus = new PiMutex(s);
 * Task low = s.spawn("low", 1, 0, () -> { bus.lock(); try { s.work(5); } finally { bus.unlock(); } });
 * Task high = s.spawn("high", 3, 1, () -> { bus.lock(); try { s.work(1); } finally { bus.unlock(); } });
 * s.spawn("medium", 2, 2, () -> s.work(100));
 * s.run();                                                   // returns when all are done
 * high.blockedTicks();                                       // 4: low's rest, never medium's 100
 * }</pre>
 *
 * <p>Time: the clock moves one tick when every running task has asked for its next tick ({@link
 * #work}); tasks released at that time become ready, and the CPUs are given out again. When nothing
 * can run the clock jumps to the next release. Among equal priorities the task spawned first runs
 * first (a preempted one included); a freed mutex goes to its highest-priority waiter, the
 * longest-waiting among equals.
 *
 * <p>Errors: {@link #run()} throws {@link IllegalStateException} if every unfinished task is
 * blocked (a deadlock) or a task threw (the first failure is the cause).
 */
public final class PriorityScheduler {
    /*
     * Implementation notes.
     *
     * Each task is a virtual thread, but only those in state RUNNING may execute task code; all
     * state lives under one lock and every transition ends in reschedule(), which (1) releases
     * tasks whose time has come, (2) gives CPUs to the best ready tasks, preempting worse running
     * ones, (3) ticks the clock if every running task is waiting for a tick, (4) jumps the clock
     * when idle, and (5) detects that everyone is blocked. Threads wait on one condition and
     * re-check their own state (tasks are few; signalAll keeps it obviously right).
     * Invariants:
     *   I1  at most `cpus` tasks are RUNNING;
     *   I2  no READY task has a higher effective priority than a RUNNING one (after reschedule);
     *   I3  a task's effective priority = max(base, boost of each mutex it holds) (recompute).
     * Preemption takes effect at the preempted task's next scheduling point; with one CPU no
     * other task acts meanwhile, so that point is exactly where the preemption happened.
     * Based on: POSIX SCHED_FIFO semantics; the virtual clock in the manner of discrete-event
     * simulators. Tried and rejected: real threads with Thread priorities (ignored by Linux).
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final int cpus;
    private final ThreadLocal<Task> current = new ThreadLocal<>();
    private final List<Task> tasks = new ArrayList<>(); // guarded by lock
    private long clock; // guarded by lock
    private boolean started; // guarded by lock
    private String aborted; // why, once the run is abandoned; guarded by lock
    private Throwable failure; // guarded by lock

    /**
     * A scheduler with {@code cpus} simulated CPUs.
     *
     * @throws IllegalArgumentException if {@code cpus < 1}
     */
    public PriorityScheduler(int cpus) {
        if (cpus < 1) throw new IllegalArgumentException("cpus must be at least 1: " + cpus);
        this.cpus = cpus;
    }

    /**
     * Adds a task that becomes ready at virtual time {@code releaseAt}, with {@code priority}
     * (higher runs first).
     *
     * @throws IllegalStateException if {@link #run()} has started
     * @throws IllegalArgumentException if {@code releaseAt < 0}
     */
    public Task spawn(String name, int priority, long releaseAt, Runnable body) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        if (releaseAt < 0)
            throw new IllegalArgumentException("releaseAt must be >= 0: " + releaseAt);
        lock.lock();
        try {
            if (started) throw new IllegalStateException("spawn after run()");
            Task t = new Task(name, priority, releaseAt, body, tasks.size());
            tasks.add(t);
            return t;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs every task to completion and returns; the calling thread only waits.
     *
     * @throws IllegalStateException on a deadlock among the tasks, if a task threw, or if called
     *     twice
     */
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        lock.lock();
        try {
            if (started) throw new IllegalStateException("run() called twice");
            started = true;
            for (Task t : tasks)
                threads.add(Thread.ofVirtual().name(t.name()).unstarted(() -> runTask(t)));
            threads.forEach(Thread::start);
            reschedule();
        } finally {
            lock.unlock();
        }
        for (Thread t : threads) t.join();
        lock.lock();
        try {
            if (aborted != null) throw new IllegalStateException(aborted, failure);
        } finally {
            lock.unlock();
        }
    }

    /** The virtual time. */
    public long now() {
        lock.lock();
        try {
            return clock;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The calling task. @throws IllegalStateException if not called from a task of this scheduler
     */
    public Task currentTask() {
        Task t = current.get();
        if (t == null) throw new IllegalStateException("not called from a task of this scheduler");
        return t;
    }

    /** Does {@code ticks} ticks of CPU work: a scheduling point at every tick. */
    public void work(long ticks) {
        if (ticks < 0) throw new IllegalArgumentException("ticks must be >= 0: " + ticks);
        Task me = currentTask();
        for (long i = 0; i < ticks; i++) {
            lock.lock();
            try {
                me.wantsTick = true;
                reschedule();
                awaitCpu(me);
            } finally {
                lock.unlock();
            }
        }
    }

    /** A scheduling point without work: lets a higher-priority ready task take the CPU. */
    public void checkpoint() {
        Task me = currentTask();
        lock.lock();
        try {
            reschedule();
            awaitCpu(me);
        } finally {
            lock.unlock();
        }
    }

    private void runTask(Task t) {
        current.set(t);
        lock.lock();
        try {
            awaitCpu(t);
        } catch (CancellationException e) {
            return;
        } finally {
            lock.unlock();
        }
        try {
            t.body.run();
        } catch (CancellationException e) {
            // the run was abandoned
        } catch (Throwable e) {
            lock.lock();
            try {
                if (failure == null) failure = e;
                if (aborted == null) aborted = "task " + t + " failed";
            } finally {
                lock.unlock();
            }
        } finally {
            lock.lock();
            try {
                t.state = Task.State.DONE;
                t.finished(clock);
                if (!t.held.isEmpty() && aborted == null) {
                    failure =
                            new IllegalStateException(
                                    t + " finished holding " + t.held.size() + " mutex(es)");
                    aborted = failure.getMessage();
                }
                reschedule();
            } finally {
                lock.unlock();
            }
        }
    }

    // ---------------------------------------------------------------- mutexes

    void lock(SchedulerMutex m) {
        Task me = currentTask();
        m.checkAllowed(me);
        lock.lock();
        try {
            if (m.owner == me)
                throw new IllegalStateException(me + " already holds this mutex (not reentrant)");
            if (m.owner == null) {
                m.owner = me;
                me.held.add(m);
                recompute(me);
            } else {
                me.state = Task.State.BLOCKED;
                me.blockedOn = m;
                me.blockedSince = clock;
                m.waiters.add(me);
                if (m.inherits()) propagate(m.owner);
            }
            reschedule();
            awaitCpu(me);
        } finally {
            lock.unlock();
        }
    }

    void unlock(SchedulerMutex m) {
        Task me = currentTask();
        lock.lock();
        try {
            if (m.owner != me)
                throw new IllegalMonitorStateException(me + " does not hold this mutex");
            me.held.remove(m);
            Task next = null;
            for (Task w : m.waiters) {
                if (next == null || w.effective > next.effective) next = w; // FIFO among equals
            }
            m.owner = next;
            if (next != null) {
                m.waiters.remove(next);
                next.held.add(m);
                next.blockedOn = null;
                next.addBlocked(clock - next.blockedSince);
                next.state = Task.State.READY;
                recompute(next);
            }
            recompute(me); // drop what this mutex gave (I3)
            reschedule();
            awaitCpu(me);
        } finally {
            lock.unlock();
        }
    }

    // caller holds lock
    private static void recompute(Task t) {
        int p = t.basePriority();
        for (SchedulerMutex m : t.held) p = Math.max(p, m.boost());
        t.setEffective(p); // keeps I3
    }

    /** Priority inheritance along the chain of holders (Linux rt_mutex's chain walk). */
    // caller holds lock
    private static void propagate(Task holder) {
        for (Task t = holder; t != null; ) {
            int before = t.effective;
            recompute(t);
            if (t.effective == before) return; // nothing further changes
            SchedulerMutex next = t.blockedOn;
            t = next != null && next.inherits() ? next.owner : null;
        }
    }

    // ---------------------------------------------------------------- scheduling

    // caller holds lock
    private void awaitCpu(Task me) {
        while (me.state != Task.State.RUNNING || me.wantsTick) {
            if (aborted != null) throw new CancellationException(aborted);
            changed.awaitUninterruptibly();
        }
    }

    // caller holds lock
    private void reschedule() {
        for (; ; ) {
            release();
            dispatch();
            boolean anyRunning = false,
                    allWantTick = true,
                    anyReady = false,
                    anyPending = false,
                    anyBlocked = false;
            long nextRelease = Long.MAX_VALUE;
            for (Task t : tasks) {
                switch (t.state) {
                    case RUNNING -> {
                        anyRunning = true;
                        allWantTick &= t.wantsTick;
                    }
                    case READY -> anyReady = true;
                    case PENDING -> {
                        anyPending = true;
                        nextRelease = Math.min(nextRelease, t.releaseAt());
                    }
                    case BLOCKED -> anyBlocked = true;
                    case DONE -> {}
                }
            }
            if (anyRunning && allWantTick) { // everyone finished this tick
                clock++;
                for (Task t : tasks) if (t.state == Task.State.RUNNING) t.wantsTick = false;
                continue;
            }
            if (!anyRunning && !anyReady && anyPending) { // idle: jump to the next release
                clock = Math.max(clock, nextRelease);
                continue;
            }
            if (!anyRunning && !anyReady && anyBlocked && aborted == null) {
                aborted = "deadlock: every unfinished task is blocked at t=" + clock;
            }
            break;
        }
        changed.signalAll();
    }

    // caller holds lock
    private void release() {
        for (Task t : tasks)
            if (t.state == Task.State.PENDING && t.releaseAt() <= clock) t.state = Task.State.READY;
    }

    /** Gives CPUs to the best ready tasks (I1, I2). */
    // caller holds lock
    private void dispatch() {
        for (; ; ) {
            Task best = null, worst = null;
            int running = 0;
            for (Task t : tasks) {
                if (t.state == Task.State.READY && (best == null || t.effective > best.effective))
                    best = t;
                if (t.state == Task.State.RUNNING) {
                    running++;
                    if (worst == null || t.effective <= worst.effective) worst = t;
                }
            }
            if (best == null) return;
            if (running < cpus) {
                best.state = Task.State.RUNNING;
                best.started(clock);
            } else if (best.effective > worst.effective) {
                worst.state = Task.State.READY; // preempted: front of its priority (order)
                best.state = Task.State.RUNNING;
                best.started(clock);
            } else {
                return;
            }
        }
    }
}
