package io.lockstep.lock;

import static io.lockstep.internal.WaitOutcome.DONE;
import static io.lockstep.internal.WaitOutcome.INTERRUPTED;
import static io.lockstep.internal.WaitOutcome.TIMED_OUT;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.LockTracking;
import io.lockstep.internal.Names;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * A reentrant mutual-exclusion lock (C++'s {@code std::recursive_mutex}, Java's
 * {@link java.util.concurrent.locks.ReentrantLock}): the owner may lock it again, and must unlock
 * it as many times. Same algorithm and 24-byte footprint as {@link RawMutex}, plus a hold count.
 *
 * <pre>{@code
 * ReentrantMutex lock = new ReentrantMutex();
 * void outer() {
 *     lock.lock();
 *     try { inner(); } finally { lock.unlock(); }
 * }
 * void inner() {
 *     lock.lock();                              // same thread: hold count 2, no deadlock
 *     try { work(); } finally { lock.unlock(); }
 * }
 * }</pre>
 *
 * <p>The monitoring methods match ReentrantLock's: {@link #getHoldCount()},
 * {@link #isHeldByCurrentThread()}, {@link #isLocked()}, {@link #isFair()},
 * {@link #hasQueuedThreads()}, {@link #hasQueuedThread}, {@link #getQueueLength()},
 * {@link #getQueuedThreads()}, {@link #hasWaiters}, {@link #getWaitQueueLength},
 * {@link #getWaitingThreads}, with the same exceptions. A {@link Condition} from
 * {@link #newCondition()} releases every hold while waiting and restores the count afterwards.
 *
 * <p>No {@code lockAsync}: reentrancy belongs to a thread, and a task that resumes on whatever
 * thread has none to re-enter with. A task takes a {@link RawMutex} or {@link Mutex} through
 * {@link RawMutex#lockAsync()}, whose guard owns the hold.
 *
 * <p><b>Memory effects:</b> as {@link java.util.concurrent.locks.Lock}.
 *
 * <h2>Differences from java.util.concurrent</h2>
 * <ul>
 * <li>No fair mode: {@link #isFair()} is false, yet no waiter starves (a thread parked about
 *     half a millisecond is handed the lock), and {@link #unlockFair()} hands off on demand.
 * <li>{@link #getQueuedThreads()} and {@link #getWaitingThreads} are public (protected in
 *     ReentrantLock, for subclasses; this class is final).
 * <li>A {@link Condition}'s {@code signal()} wakes the waiter, which then competes for the lock
 *     (ReentrantLock moves it to the lock's queue, where {@link #hasQueuedThread} sees it before
 *     it runs); {@code signalAll()} moves the waiters to the lock's queue, as ReentrantLock does.
 * </ul>
 */
public final class ReentrantMutex extends MutexCore implements FairUnlock {
    /*
     * Implementation notes. The state machine is MutexCore's; `holds` is read and written only by
     * the owner (so plain), and is 0 whenever owner is null.
     */
    private int holds;

    /** Creates an unlocked mutex. */
    public ReentrantMutex() {}

    @Override
    public void lock() {
        if (owner == Thread.currentThread()) {
            increment();
            return;
        }
        if (LockTracking.ENABLED) LockTracking.acquiring(this, LockTracking.EXCLUSIVE);
        if (!acquireFast()) acquireSlow(Deadline.NONE, false);
        owner = Thread.currentThread();
        holds = 1;
        if (LockTracking.ENABLED) LockTracking.acquired(this, LockTracking.EXCLUSIVE);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        if (owner == Thread.currentThread()) {
            increment();
            return;
        }
        if (LockTracking.ENABLED) LockTracking.acquiring(this, LockTracking.EXCLUSIVE);
        if (!acquireFast() && acquireSlow(Deadline.NONE, true) != DONE) throw new InterruptedException();
        owner = Thread.currentThread();
        holds = 1;
        if (LockTracking.ENABLED) LockTracking.acquired(this, LockTracking.EXCLUSIVE);
    }

    @Override
    public boolean tryLock() {
        if (owner == Thread.currentThread()) {
            increment();
            return true;
        }
        if (!acquireNow()) return false;
        owner = Thread.currentThread();
        holds = 1;
        if (LockTracking.ENABLED) LockTracking.tryAcquired(this, LockTracking.EXCLUSIVE);
        return true;
    }

    /** {@inheritDoc} A zero or negative timeout tries once without waiting. */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long deadline = Deadline.after(time, unit);
        if (Thread.interrupted()) throw new InterruptedException();
        if (owner == Thread.currentThread()) {
            increment();
            return true;
        }
        if (!acquireFast()) {
            switch (acquireSlow(deadline, true)) {
                case TIMED_OUT -> { return false; }
                case INTERRUPTED -> throw new InterruptedException();
                default -> { }
            }
        }
        owner = Thread.currentThread();
        holds = 1;
        if (LockTracking.ENABLED) LockTracking.tryAcquired(this, LockTracking.EXCLUSIVE);
        return true;
    }

    private void increment() {
        if (holds == Integer.MAX_VALUE) throw new Error("Maximum lock count exceeded");
        holds++;
    }

    /** Releases one hold; the lock is free when the count reaches zero. */
    @Override
    public void unlock() {
        if (owner != Thread.currentThread()) throw notOwner();
        if (--holds == 0) release(false);
    }

    /** Releases one hold; if that frees the lock, hands it straight to the longest waiter. */
    @Override
    public void unlockFair() {
        if (owner != Thread.currentThread()) throw notOwner();
        if (--holds == 0) release(true);
    }

    @Override
    public Condition newCondition() {
        return new MutexCondition(this);
    }

    /** The current thread's hold count: 0 if it does not hold the lock. */
    public int getHoldCount() {
        return owner == Thread.currentThread() ? holds : 0;
    }

    /** Whether the current thread holds the lock. */
    public boolean isHeldByCurrentThread() {
        return heldByCurrentThread();
    }

    /** Whether any thread holds the lock (a snapshot). */
    public boolean isLocked() {
        return locked();
    }

    @Override
    int releaseForWait() {
        int saved = holds;
        holds = 0;
        release(false);
        return saved;
    }

    @Override
    void restoreAfterWait(int saved, long token) {
        reacquireAfterWait(token);
        holds = saved;
    }

    /**
     * Names this mutex for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, lock-order and deadlock reports, and Lockstep's JFR events. Returns this
     * mutex, so a field can be named where it is created:
     * {@code private final ReentrantMutex lock = new ReentrantMutex().named("orders");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this mutex already has another name
     */
    public ReentrantMutex named(String name) {
        return Names.name(this, name);
    }

    /** This mutex's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
