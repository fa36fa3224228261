package io.lockstep.lock;

import static io.lockstep.internal.WaitOutcome.DONE;
import static io.lockstep.internal.WaitOutcome.INTERRUPTED;
import static io.lockstep.internal.WaitOutcome.TIMED_OUT;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.LockTracking;
import io.lockstep.internal.Names;
import io.lockstep.park.ParkingLot;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;

/**
 * A fast, small, non-reentrant mutual-exclusion lock: three bytes of state and the owner, with
 * waiters parked in the {@link ParkingLot}. A drop-in {@link Lock}, and the default lock under
 * {@link Mutex}.
 *
 * <p>Compared with {@link java.util.concurrent.locks.ReentrantLock}: half the memory (24 bytes
 * instead of 48, ownership check included), one CAS to lock and one volatile store to unlock when
 * uncontended (a CAS once it has been contended), adaptive spinning before parking, and eventual fairness without the cost of a fair lock: it
 * barges for throughput, but a thread that has waited about half a millisecond is handed the lock
 * directly. It is not reentrant (use {@link ReentrantMutex}): locking it again from the thread
 * that holds it throws {@link IllegalStateException} instead of deadlocking, as the spin locks do.
 *
 * <pre>{@code
 * private final RawMutex lock = new RawMutex();
 * private long balance;                         // guarded by lock
 *
 * void deposit(long amount) {
 *     lock.lock();
 *     try {
 *         balance += amount;
 *     } finally {
 *         lock.unlock();
 *     }
 * }
 * }</pre>
 * Prefer {@link Mutex}, which owns the data it protects and cannot be forgotten:
 * {@code Mutex<Long> balance = Mutex.of(0L); balance.update(b -> b + amount);}
 *
 * <p><b>Memory effects:</b> as {@link Lock}: an unlock happens-before every later lock.
 * <p><b>Ownership:</b> {@link #unlock()} by a thread that does not hold the lock throws
 * {@link IllegalMonitorStateException} and leaves the lock as it was.
 *
 * <h2>Differences from java.util.concurrent</h2>
 * The monitoring methods are ReentrantLock's ({@link #isFair()}, {@link #getQueueLength()},
 * {@link #getQueuedThreads()}, {@link #hasWaiters}, {@link #getWaitQueueLength},
 * {@link #getWaitingThreads}, ... with the same exceptions), public. On purpose:
 * <ul>
 * <li>Not reentrant: {@link #tryLock()} and {@link #tryLock(long, TimeUnit)} by the owner return
 *     false at once (ReentrantLock: true), and {@link #lock()} and {@link #lockInterruptibly()}
 *     by the owner throw {@link IllegalStateException}, leaving the lock held once.
 * <li>No fair mode: {@link #isFair()} is false, yet no waiter starves (a thread parked about
 *     half a millisecond is handed the lock), and {@link #unlockFair()} hands off on demand.
 * <li>A {@link Condition}'s {@code signal()} wakes the waiter, which then competes for the lock
 *     (ReentrantLock moves it to the lock's queue, where {@link #hasQueuedThread} sees it before
 *     it runs); {@code signalAll()} moves the waiters to the lock's queue, as ReentrantLock does.
 * </ul>
 */
public final class RawMutex extends MutexCore implements FairUnlock {
    /*
     * Implementation notes (guard-owned holds; the state machine is MutexCore's).
     *
     * A hold taken by lockAsync has no owner thread (owner stays null, so no thread's unlock or
     * isHeldByCurrentThread matches) and is recorded in `guard`, written only by the request the
     * lock was granted to and cleared before the release, as MutexCore's I2 for `owner`. The field
     * fits in the 24 bytes the object had anyway (12-byte header + state + owner + guard).
     * Async requests wait in the parking lot's line for this mutex next to parked threads
     * (ParkingLot.parkAsync); see AsyncAcquire for how a request races its future.
     */
    /** The guard that holds the lock, or null; plain (written by the holder, as owner). */
    private RawMutexGuard guard;

    /** Creates an unlocked mutex. */
    public RawMutex() {}

    /**
     * Acquires the lock without blocking a thread: the future completes with a guard that owns
     * the lock (not a thread; close it from any thread, once). Requests wait in the same line as
     * threads blocked in {@link #lock()}, and one that is first in line when the lock is released
     * is handed the lock directly.
     *
     * <p><b>Cancel-safe:</b> cancelling the future, {@code orTimeout}, or completing it yourself
     * loses no lock: a request still waiting leaves the line; one that was just handed the lock
     * releases it (to the next waiter) exactly once.
     *
     * <p>A request that finds the lock held spins briefly first, as a blocked thread does (never
     * yielding, and not at all while anyone waits in line), so one freed meanwhile is taken at once.
     *
     * <p><b>Which thread runs dependent stages:</b> the caller, if the lock was free (or freed
     * during that brief spin); otherwise the thread whose {@code unlock()} or guard {@code close()} handed the lock over, after that
     * release has finished and outside every internal lock. Stages that close guards do not
     * recurse into the next request's stages: they run one after another on that thread. Use
     * the {@code ...Async} stage methods to run yours on an executor of your choice.
     *
     * <p>Lock-order checking ({@code -Dlockstep.lockorder}) counts a guard-owned hold as held by
     * the thread its task last ran on (the thread that asked for it, then the last one to use
     * it through a {@link MutexGuard}): a lock that thread takes while the guard is open is
     * ordered after this one. {@code DeadlockDetector} reports it with that thread too (see the
     * package docs).
     */
    public CompletableFuture<RawMutexGuard> lockAsync() {
        return AsyncAcquire.start(this, g -> g);
    }

    /**
     * As {@link #lockAsync()}, but a request that has to wait waits like a blocked thread and is
     * completed on {@code executor}: an unlock frees the lock and wakes the request, which
     * retries on the executor, so a running holder that releases and asks again may barge in
     * meanwhile (as a running thread may); a request that has waited about half a millisecond is
     * handed the lock directly (eventual fairness, as for threads). This avoids the convoy of
     * strict hand-off, where the lock stays held while the executor gets round to the next task.
     *
     * <p><b>Which thread runs dependent stages:</b> the caller, if the lock was free or freed
     * during the brief spin of {@link #lockAsync()} (the future is complete on return); otherwise the executor. If the executor rejects the task, the
     * retry runs on the waking thread instead; an executor that accepts the task and never runs
     * it (a queue dropped by {@code shutdownNow}) strands the request, and a lock handed to it.
     * Cancel-safe as {@link #lockAsync()}: a request woken after its future was settled passes
     * the wake-up (or the lock) on.
     *
     * @throws NullPointerException if {@code executor} is null (nothing is acquired)
     */
    public CompletableFuture<RawMutexGuard> lockAsync(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return AsyncAcquire.start(this, g -> g, executor);
    }

    /** For a Mutex over this lock: as {@link #lockAsync(Executor)}, the future's value built by {@code wrap}. */
    <G> CompletableFuture<G> lockAsyncWrapped(Function<RawMutexGuard, G> wrap, Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return AsyncAcquire.start(this, wrap, executor);
    }

    /** For a Mutex over this lock: as {@link #lockAsync()}, the future's value built by {@code wrap}. */
    <G> CompletableFuture<G> lockAsyncWrapped(Function<RawMutexGuard, G> wrap) {
        return AsyncAcquire.start(this, wrap);
    }

    /** The request {@code g} now holds LOCKED. */
    void guardAcquired(RawMutexGuard g) {
        guard = g;
        if (LockTracking.ENABLED) LockTracking.guardAcquired(g, this, LockTracking.EXCLUSIVE, g::holderThread);
    }

    /** {@code g} is closed (once, by its CAS): release, handing on if {@code fair} or a waiter is due. */
    void releaseGuard(RawMutexGuard g, boolean fair) {
        assert guard == g : "a guard releases only its own hold";
        if (LockTracking.ENABLED) LockTracking.guardReleased(g);
        guard = null;                                          // before the release (as owner, I2)
        releaseGuardOwned(fair);
    }

    @Override
    Object holder() {
        Thread o = owner;
        return o != null ? o : guard;
    }

    private IllegalMonitorStateException notOwnerOrGuardOwned() {
        RawMutexGuard g = guard;
        if (g == null) return notOwner();
        return new IllegalMonitorStateException("unlock by " + Thread.currentThread() + " of " + Names.describe(this)
                + ", which is held by an async guard (" + g + "), not a thread: close the guard instead");
    }

    /**
     * {@inheritDoc}
     * @throws IllegalStateException if the current thread already holds it (the lock stays held)
     */
    @Override
    public void lock() {
        if (LockTracking.ENABLED) LockTracking.acquiring(this, LockTracking.EXCLUSIVE);
        if (!acquireFast()) {
            checkNotHeld();                                    // only here: the owner never gets past the CAS
            acquireSlow(Deadline.NONE, false);
        }
        owner = Thread.currentThread();
        if (LockTracking.ENABLED) LockTracking.acquired(this, LockTracking.EXCLUSIVE);
    }

    /**
     * {@inheritDoc}
     * @throws IllegalStateException if the current thread already holds it (the lock stays held)
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        if (LockTracking.ENABLED) LockTracking.acquiring(this, LockTracking.EXCLUSIVE);
        if (!acquireFast()) {
            checkNotHeld();
            if (acquireSlow(Deadline.NONE, true) != DONE) throw new InterruptedException();
        }
        owner = Thread.currentThread();
        if (LockTracking.ENABLED) LockTracking.acquired(this, LockTracking.EXCLUSIVE);
    }

    @Override
    public boolean tryLock() {
        if (!acquireNow()) return false;
        owner = Thread.currentThread();
        if (LockTracking.ENABLED) LockTracking.tryAcquired(this, LockTracking.EXCLUSIVE);
        return true;
    }

    /**
     * {@inheritDoc} A zero or negative timeout tries once without waiting; the thread that holds
     * the lock gets false at once.
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long deadline = Deadline.after(time, unit);
        if (Thread.interrupted()) throw new InterruptedException();
        if (!acquireFast()) {
            if (heldByCurrentThread()) return false;
            switch (acquireSlow(deadline, true)) {
                case TIMED_OUT -> { return false; }
                case INTERRUPTED -> throw new InterruptedException();
                default -> { }
            }
        }
        owner = Thread.currentThread();
        if (LockTracking.ENABLED) LockTracking.tryAcquired(this, LockTracking.EXCLUSIVE);
        return true;
    }

    /** {@inheritDoc} @throws IllegalMonitorStateException if the current thread does not hold it */
    @Override
    public void unlock() {
        if (owner != Thread.currentThread()) throw notOwnerOrGuardOwned();
        release(false);
    }

    /** Unlocks and hands the lock straight to the longest waiter, if any. */
    @Override
    public void unlockFair() {
        if (owner != Thread.currentThread()) throw notOwnerOrGuardOwned();
        release(true);
    }

    /** A {@link Condition} for this mutex, backed by a {@link Condvar}. */
    @Override
    public Condition newCondition() {
        return new MutexCondition(this);
    }

    /** Whether some thread holds the lock (a snapshot). */
    public boolean isLocked() {
        return locked();
    }

    /** Whether the current thread holds the lock. Exact: no other thread can make it true. */
    public boolean isHeldByCurrentThread() {
        return heldByCurrentThread();
    }

    private void checkNotHeld() {
        if (heldByCurrentThread()) {
            throw new IllegalStateException("RawMutex is not reentrant: " + Thread.currentThread()
                    + " already holds " + this + " (use ReentrantMutex)");
        }
    }

    @Override
    int releaseForWait() {
        release(false);
        return 1;
    }

    @Override
    void restoreAfterWait(int saved, long token) {
        reacquireAfterWait(token);
    }

    /**
     * Names this mutex for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, lock-order and deadlock reports, and Lockstep's JFR events. Returns this
     * mutex, so a field can be named where it is created:
     * {@code private final RawMutex lock = new RawMutex().named("orders");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this mutex already has another name
     */
    public RawMutex named(String name) {
        return Names.name(this, name);
    }

    /** This mutex's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
