package io.lockstep.lock;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.GuardedBy;
import io.lockstep.internal.Names;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A monitor with implicit signalling, in the style of Guava's {@code Monitor}: threads enter
 * when a {@link Guard} (a boolean condition over the monitor's state) holds, and whoever leaves
 * wakes a thread whose guard has become true. Nobody writes {@code signal()} — nobody forgets it.
 *
 * <p>A one-slot box three ways. With {@code synchronized}, every waiter wakes on every change:
 * <pre>{@code
 * synchronized void put(V v) throws InterruptedException {
 *     while (value != null) wait();
 *     value = v;
 *     notifyAll();
 * }
 * }</pre>
 * With a lock and two conditions, the right signal must be written by hand (and a wrong one is a
 * lost wake-up):
 * <pre>{@code
 * lock.lock();
 * try {
 *     while (value != null) valueAbsent.await();
 *     value = v;
 *     valuePresent.signal();
 * } finally { lock.unlock(); }
 * }</pre>
 * With a Monitor:
 * <pre>{@code
 * private V value;                            // declared first: the guard's lambda reads it
 * private final Monitor monitor = new Monitor();
 * private final Monitor.Guard valueAbsent = monitor.newGuard(() -> value == null);
 *
 * void put(V v) throws InterruptedException {
 *     monitor.enterWhen(valueAbsent);
 *     try {
 *         value = v;
 *     } finally {
 *         monitor.leave();                  // wakes a taker if its guard is now true
 *     }
 * }
 * }</pre>
 *
 * <p>The monitor is reentrant, and so has no async form (a task has no thread to re-enter with:
 * it uses {@link Mutex#lockAsync()} and {@link Condvar#awaitAsync}). Guards are evaluated only
 * while the monitor is held; they must be
 * fast and must not block. Built on a {@link ReentrantMutex} and one {@link Condvar} per guard.
 *
 * <p><b>Memory effects:</b> a {@code leave()} happens-before every later successful enter.
 */
public final class Monitor {
    /*
     * Implementation notes.
     *
     * Based on: Guava's Monitor (Justin T. Sampson): a guard has a condition and a waiter count;
     * guards with waiters form a list. Whenever the monitor is about to be released (leave, or a
     * wait), the releasing thread evaluates the guards with waiters and signals one thread of the
     * first satisfied guard. A woken thread re-checks its own guard, and signals onwards before
     * waiting again, so a signal is never swallowed by a thread that cannot use it.
     * Invariant I1: every guard in `active` has waiters > 0 (all @GuardedBy lock).
     */
    private final ReentrantMutex lock = new ReentrantMutex();
    @GuardedBy("lock") private Guard active;

    /** Creates a monitor. */
    public Monitor() {}

    /** A condition over this monitor's state, evaluated only while the monitor is held. */
    public static final class Guard {
        private final Monitor monitor;
        private final BooleanSupplier condition;
        private final Condvar condvar = new Condvar();
        @GuardedBy("monitor.lock") private int waiters;
        @GuardedBy("monitor.lock") private Guard next;

        private Guard(Monitor monitor, BooleanSupplier condition) {
            this.monitor = monitor;
            this.condition = condition;
        }

        /** Evaluates the condition; the caller must occupy the monitor. */
        public boolean isSatisfied() {
            return condition.getAsBoolean();
        }
    }

    /** A new guard over this monitor. */
    public Guard newGuard(BooleanSupplier condition) {
        return new Guard(this, Objects.requireNonNull(condition, "condition"));
    }

    /** Enters the monitor, waiting as long as needed. */
    public void enter() {
        lock.lock();
    }

    /** Enters the monitor if it is free now (or already held by this thread). */
    public boolean tryEnter() {
        return lock.tryLock();
    }

    /** Enters the monitor, waiting interruptibly. */
    public void enterInterruptibly() throws InterruptedException {
        lock.lockInterruptibly();
    }

    /** Enters when {@code guard} holds, waiting interruptibly as long as needed. */
    public void enterWhen(Guard guard) throws InterruptedException {
        check(guard);
        boolean reentered = lock.isHeldByCurrentThread();
        lock.lockInterruptibly();
        try {
            if (!guard.isSatisfied()) awaitFor(guard, Deadline.NONE, true, reentered);
        } catch (Throwable t) {
            leave();
            throw t;
        }
    }

    /**
     * Enters when {@code guard} holds, waiting at most {@code timeout} in all.
     *
     * @return false (monitor not held) if the time ran out first
     */
    public boolean enterWhen(Guard guard, Duration timeout) throws InterruptedException {
        check(guard);
        long deadline = Deadline.after(timeout);
        boolean reentered = lock.isHeldByCurrentThread();
        if (!lock.tryLock(Deadline.remaining(deadline), java.util.concurrent.TimeUnit.NANOSECONDS)) return false;
        boolean ok = false;
        try {
            ok = guard.isSatisfied() || awaitFor(guard, deadline, true, reentered);
            return ok;
        } finally {
            if (!ok) leave();
        }
    }

    /** Enters when {@code guard} holds, ignoring interrupts (the interrupt status is kept). */
    public void enterWhenUninterruptibly(Guard guard) {
        check(guard);
        boolean reentered = lock.isHeldByCurrentThread();
        lock.lock();
        try {
            if (!guard.isSatisfied()) awaitForUninterruptibly(guard, reentered);
        } catch (Throwable t) {
            leave();
            throw t;
        }
    }

    /** Enters if {@code guard} holds right after entering; otherwise leaves at once. */
    public boolean enterIf(Guard guard) {
        check(guard);
        lock.lock();
        boolean ok = false;
        try {
            ok = guard.isSatisfied();
            return ok;
        } finally {
            if (!ok) leave();
        }
    }

    /** Enters if the monitor is free now and {@code guard} holds; never waits. */
    public boolean tryEnterIf(Guard guard) {
        check(guard);
        if (!lock.tryLock()) return false;
        boolean ok = false;
        try {
            ok = guard.isSatisfied();
            return ok;
        } finally {
            if (!ok) leave();
        }
    }

    /** Waits, inside the monitor, until {@code guard} holds. */
    public void waitFor(Guard guard) throws InterruptedException {
        checkOccupied(guard);
        if (!guard.isSatisfied()) awaitFor(guard, Deadline.NONE, true, true);
    }

    /** As {@link #waitFor(Guard)}, ignoring interrupts (the interrupt status is kept). */
    public void waitForUninterruptibly(Guard guard) {
        checkOccupied(guard);
        if (!guard.isSatisfied()) awaitForUninterruptibly(guard, true);
    }

    private void awaitForUninterruptibly(Guard guard, boolean reentered) {
        try {
            awaitFor(guard, Deadline.NONE, false, reentered);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);     // an uninterruptible wait never throws it
        }
    }

    /** Waits, inside the monitor, at most {@code timeout} for {@code guard}; false if it ran out. */
    public boolean waitFor(Guard guard, Duration timeout) throws InterruptedException {
        checkOccupied(guard);
        long deadline = Deadline.after(timeout);           // first: a null timeout throws even if satisfied
        return guard.isSatisfied() || awaitFor(guard, deadline, true, true);
    }

    /** Leaves the monitor (one hold of it), first waking a thread whose guard now holds. */
    public void leave() {
        if (!lock.isHeldByCurrentThread()) throw new IllegalMonitorStateException("the current thread does not occupy the monitor");
        try {
            if (lock.getHoldCount() == 1) signalNextWaiter();
        } finally {
            lock.unlock();
        }
    }

    /** Whether some thread occupies the monitor (a snapshot). */
    public boolean isOccupied() {
        return lock.isLocked();
    }

    /** Whether the current thread occupies the monitor. */
    public boolean isOccupiedByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /** How many times the current thread has entered without leaving. */
    public int getOccupiedDepth() {
        return lock.getHoldCount();
    }

    /** How many threads wait for {@code guard} (a snapshot; the caller must occupy the monitor). */
    public int getWaitQueueLength(Guard guard) {
        checkOccupied(guard);
        return guard.waiters;
    }

    /** Waits until the guard holds or the deadline passes; returns whether it holds. */
    @GuardedBy("lock")
    private boolean awaitFor(Guard guard, long deadline, boolean interruptible, boolean signalFirst)
            throws InterruptedException {
        if (signalFirst) signalNextWaiter();     // we may have made another guard true
        beginWaitingFor(guard);
        try {
            do {
                if (!guard.condvar.awaitOn(lock, deadline, interruptible)) return guard.isSatisfied();
            } while (!guard.isSatisfied());
            return true;
        } finally {
            endWaitingFor(guard);
        }
    }

    @GuardedBy("lock")
    private void signalNextWaiter() {
        for (Guard g = active; g != null; g = g.next) {
            boolean satisfied;
            try {
                satisfied = g.isSatisfied();
            } catch (Throwable t) {
                // A throwing guard: wake everybody so the failure surfaces in a waiter, not here.
                for (Guard h = active; h != null; h = h.next) h.condvar.notifyAllWaiters();
                throw t;
            }
            if (satisfied) {
                g.condvar.notifyOne();
                return;
            }
        }
    }

    @GuardedBy("lock")
    private void beginWaitingFor(Guard guard) {
        if (guard.waiters++ == 0) {              // keeps I1
            guard.next = active;
            active = guard;
        }
    }

    @GuardedBy("lock")
    private void endWaitingFor(Guard guard) {
        if (--guard.waiters == 0) {              // keeps I1
            Guard prev = null;
            for (Guard g = active; g != null; prev = g, g = g.next) {
                if (g == guard) {
                    if (prev == null) active = g.next;
                    else prev.next = g.next;
                    g.next = null;
                    return;
                }
            }
        }
    }

    private void check(Guard guard) {
        if (Objects.requireNonNull(guard, "guard").monitor != this) {
            throw new IllegalMonitorStateException("the guard belongs to another monitor");
        }
    }

    private void checkOccupied(Guard guard) {
        check(guard);
        if (!lock.isHeldByCurrentThread()) throw new IllegalMonitorStateException("the current thread does not occupy the monitor");
    }

    /**
     * Names this monitor for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, lock-order and deadlock reports, and Lockstep's JFR events. Returns this
     * monitor, so a field can be named where it is created:
     * {@code private final Monitor monitor = new Monitor().named("buffer");}
     * The lock underneath gets the same name unless it has one.
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this monitor already has another name
     */
    public Monitor named(String name) {
        Names.name(this, name);
        Names.nameIfUnnamed(lock, name);                 // threads park on it: blockers, JFR events
        return this;
    }

    /** This monitor's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }

    /** The state, as {@code Monitor "buffer"[occupied]}; never blocks. */
    @Override
    public String toString() {
        return Names.describe(this) + (isOccupied() ? "[occupied]" : "[free]");
    }
}
