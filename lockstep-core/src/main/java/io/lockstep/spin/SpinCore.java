package io.lockstep.spin;

import static io.lockstep.internal.WaitOutcome.DONE;
import static io.lockstep.internal.WaitOutcome.INTERRUPTED;
import static io.lockstep.internal.WaitOutcome.TIMED_OUT;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.LockHolders;
import io.lockstep.internal.LockTracking;
import io.lockstep.internal.Names;
import io.lockstep.internal.jfr.ContendedAcquireEvent;
import io.lockstep.internal.jfr.Jfr;
import io.lockstep.park.ParkResult;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * The {@link Lock} API shared by the spin locks: ownership, the timed and interruptible forms,
 * and the bounded spin → yield → park loop. A subclass supplies the algorithm: a barging
 * {@link #tryAcquire}, an uninterruptible {@link #acquire} (its queue, if it has one), a
 * {@link #release}, and how a thread that found the lock busy parks until it may be free.
 */
abstract class SpinCore implements Lock {
    /*
     * Implementation notes.
     *
     * Invariants:
     *   I1  `owner` is written only by the thread that holds the lock (set after acquiring,
     *       cleared before releasing), so `owner == currentThread()` is exact without a fence,
     *       as in io.lockstep.lock.MutexCore. Subclasses that have no single owner (the read side
     *       of SpinRwLock) override acquired()/releasing().
     *   I2  release() ends every transition that may free the lock or hand it over with a volatile
     *       write followed by a wake of the keys it may release (Waiters I1).
     * Timed and interruptible acquisition never joins a queue: it polls tryAcquire between
     *   back-off rounds and parks "until the lock may be free" (parkWhileBusy). So the queue
     *   locks stay simple (a queue node is never abandoned), at the price that a timed or
     *   interruptible waiter barges instead of waiting its FIFO turn, and under unbroken
     *   contention may time out although others keep getting the lock.
     * Tried and rejected (2026-12-04, SpinBench oversubscribed, 8 threads on 2 cores, -f 3): a
     *   poller spins only while no thread of the lock is parked (parking_lot's rule), with and
     *   without keeping Waiters' wakePending set until the woken thread parks again or takes
     *   the lock (one awake waiter at a time): TTAS 46 -> 58-66 ops/us against ReentrantLock's
     *   186-220, within the run-to-run spread; the profile still showed 22 % of samples in
     *   wakeOne and 15 % in back-off.
     * Tried and rejected (2026-12-05, same benchmark): one spinner per lock (a poller that cannot
     *   claim the lock's spinner token parks at once, so at most holder + one poller run): TTAS
     *   oversubscribed unchanged (26.6 ops/us), TAS 29.7 -> 17.0, the 2-thread case worse.
     * Tried and rejected: abortable queue nodes (Scott's CLH-try/MCS-try): they double the
     *   release path for a mode spin-lock users rarely need.
     */

    /** Threads of this lock parked in the parking lot (shared by the two sides of an RW lock). */
    final Waiters waiters;
    private final boolean exponentialBackoff;
    /** The holder, or null; plain (I1). */
    private Thread owner;

    static {
        LockHolders.register(SpinCore.class, (l, action) -> {
            Thread o = ((SpinCore) l).owner;
            if (o != null) action.accept(o);
        });
    }

    SpinCore(boolean exponentialBackoff) {
        this(exponentialBackoff, new Waiters());
    }

    SpinCore(boolean exponentialBackoff, Waiters waiters) {
        this.exponentialBackoff = exponentialBackoff;
        this.waiters = waiters;
    }

    // ---------------------------------------------------------------- the algorithm

    /** Takes the lock if it is free right now, ahead of any queue; never waits. */
    abstract boolean tryAcquire();

    /** Takes the lock, waiting uninterruptibly; by default as a timed waiter without deadline. */
    void acquire() {
        if (!tryAcquire()) acquireSlow(Deadline.NONE, false);
    }

    /** Releases the lock (the caller has checked ownership); keeps I2. */
    abstract void release();

    /**
     * Parks once, until the lock may have become free, if it still looks busy under the bucket
     * lock; returns null at once if it looks free now.
     */
    abstract ParkResult parkWhileBusy(long deadline, boolean interruptible);

    /** Takes the lock for a timed or interruptible caller: polling, never queued. */
    int acquireSlow(long deadline, boolean interruptible) {
        return poll(deadline, interruptible);
    }

    /** The bounded spin → yield → park loop around tryAcquire; returns DONE, TIMED_OUT or INTERRUPTED. */
    final int poll(long deadline, boolean interruptible) {
        Backoff backoff = exponentialBackoff ? Backoff.exponential() : Backoff.constant();
        for (;;) {
            if (tryAcquire()) return DONE;
            if (Deadline.expired(deadline)) return TIMED_OUT;
            if (backoff.snooze()) continue;
            ParkResult r = parkWhileBusy(deadline, interruptible);
            if (r instanceof ParkResult.Interrupted) return INTERRUPTED;
            if (r instanceof ParkResult.TimedOut) return TIMED_OUT;
            backoff.reset();                                   // woken or changed: contend again
        }
    }

    /** {@link #acquireSlow}, reported as a contended acquire when a JFR recording wants it. */
    private int acquireReported(long deadline, boolean interruptible) {
        ContendedAcquireEvent e = Jfr.contendedAcquire();
        if (e == null) return acquireSlow(deadline, interruptible);
        Thread holder = owner;
        int r = acquireSlow(deadline, interruptible);
        e.end(primitive(), mode(), holder, r);
        return r;
    }

    /** The primitive events and reports name: this lock, or the read-write lock a side belongs to. */
    Object primitive() {
        return this;
    }

    /** The mode events report: exclusive, or the side of a read-write lock. */
    String mode() {
        return "exclusive";
    }

    // ---------------------------------------------------------------- ownership hooks

    /** LockTracking's mode for a hold of this lock: EXCLUSIVE, or SHARED for a read side. */
    int trackedMode() {
        return LockTracking.EXCLUSIVE;
    }

    /** The holder, or null (a snapshot, for the deadlock detector). */
    final Thread owner() {
        return owner;
    }

    /** Whether the current thread holds the lock (exact for single-owner locks). */
    boolean heldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /** Called by the thread that has just acquired. */
    void acquired() {
        owner = Thread.currentThread();
    }

    /** Called before release(); throws if the current thread may not release. */
    void releasing() {
        if (owner != Thread.currentThread()) {
            Thread o = owner;
            throw new IllegalMonitorStateException("unlock by " + Thread.currentThread()
                    + ", which does not hold this lock" + (o == null ? "" : " (held by " + o + ")"));
        }
        owner = null;                                          // before the release (I1)
    }

    // ---------------------------------------------------------------- Lock

    /**
     * {@inheritDoc}
     * @throws IllegalStateException if the current thread already holds it (spin locks are not
     *                               reentrant; the lock is left as it was)
     */
    @Override
    public final void lock() {
        checkNotHeld();
        if (LockTracking.ENABLED) LockTracking.acquiring(primitive(), trackedMode());
        if (!tryAcquire()) {
            ContendedAcquireEvent e = Jfr.contendedAcquire();     // null unless JFR records it
            Thread holder = owner;
            acquire();                                         // tries once more, then waits
            if (e != null) e.end(primitive(), mode(), holder, DONE);
        }
        acquired();
        if (LockTracking.ENABLED) LockTracking.acquired(primitive(), trackedMode());
    }

    /**
     * {@inheritDoc} Interruptible waiters poll instead of queueing: they are not FIFO.
     * @throws IllegalStateException if the current thread already holds it
     */
    @Override
    public final void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        checkNotHeld();
        if (LockTracking.ENABLED) LockTracking.acquiring(primitive(), trackedMode());
        if (!tryAcquire() && acquireReported(Deadline.NONE, true) != DONE) throw new InterruptedException();
        acquired();
        if (LockTracking.ENABLED) LockTracking.acquired(primitive(), trackedMode());
    }

    /** {@inheritDoc} Barges: succeeds whenever the lock is free, even with a queue forming. */
    @Override
    public final boolean tryLock() {
        if (!tryAcquire()) return false;
        acquired();
        if (LockTracking.ENABLED) LockTracking.tryAcquired(primitive(), trackedMode());
        return true;
    }

    /**
     * {@inheritDoc} A zero or negative timeout tries once. Timed waiters poll instead of queueing:
     * they are not FIFO. A thread that already holds the lock gets false at once.
     */
    @Override
    public final boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long deadline = Deadline.after(time, unit);
        if (Thread.interrupted()) throw new InterruptedException();
        if (!tryAcquire()) {
            if (heldByCurrentThread()) return false;
            switch (acquireReported(deadline, true)) {
                case TIMED_OUT -> { return false; }
                case INTERRUPTED -> throw new InterruptedException();
                default -> { }
            }
        }
        acquired();
        if (LockTracking.ENABLED) LockTracking.tryAcquired(primitive(), trackedMode());
        return true;
    }

    /** {@inheritDoc} @throws IllegalMonitorStateException if the current thread does not hold it */
    @Override
    public final void unlock() {
        releasing();
        if (LockTracking.ENABLED) LockTracking.released(primitive());
        release();
    }

    /**
     * Spin locks have no conditions: a condition wait parks anyway, so use
     * {@link io.lockstep.lock.RawMutex} with {@link io.lockstep.lock.Condvar}.
     * @throws UnsupportedOperationException always
     */
    @Override
    public final Condition newCondition() {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " has no conditions; use RawMutex with Condvar");
    }

    /** Whether some thread holds the lock (a snapshot, for monitoring). */
    public abstract boolean isLocked();

    /** Whether the current thread holds this lock. */
    public boolean isHeldByCurrentThread() {
        return heldByCurrentThread();
    }

    private void checkNotHeld() {
        if (heldByCurrentThread()) {
            throw new IllegalStateException(getClass().getSimpleName() + " is not reentrant: "
                    + Thread.currentThread() + " already holds it");
        }
    }

    @Override
    public String toString() {
        Thread o = owner;
        return Names.describe(this) + (!isLocked() ? "[unlocked]" : o == null ? "[locked]" : "[locked by " + o.getName() + "]");
    }
}
