package io.lockstep.lock;

import static io.lockstep.internal.WaitOutcome.DONE;
import static io.lockstep.internal.WaitOutcome.INTERRUPTED;
import static io.lockstep.internal.WaitOutcome.TIMED_OUT;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.LockHolders;
import io.lockstep.internal.LockTracking;
import io.lockstep.internal.Names;
import io.lockstep.internal.jfr.ContendedAcquireEvent;
import io.lockstep.internal.jfr.Jfr;
import io.lockstep.park.AsyncWait;
import io.lockstep.park.ParkResult;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.SpinWait;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.function.LongConsumer;

/**
 * The state machine shared by {@link RawMutex} and {@link ReentrantMutex}: one int of state, the
 * owner, and the {@link ParkingLot} (keyed by this object) for the waiters.
 */
abstract sealed class MutexCore implements FairUnlock permits RawMutex, ReentrantMutex {
    /*
     * Implementation notes.
     *
     * Based on: parking_lot's RawMutex (two bits plus the keyed parking lot) and WebKit's
     * WTF::Lock. Differences: an owner field, so that unlock by a non-owner throws as Lock
     * requires; fairness judged per waiter by the parking lot, from the moment the waiter first
     * parked; interruptible and timed waits.
     *
     * State:   PARKED LOCKED
     *             0      0    free, no waiters
     *             0      1    held, no waiters: unlock is one CAS
     *             1      0    free; a woken waiter is on its way, or a parker may still back out
     *             1      1    held, waiters queued (or about to be)
     * Invariants:
     *   I1  PARKED is cleared only under the bucket lock of this key (unpark and cancel
     *       callbacks), so a thread that parks after setting it is always found by releaseSlow.
     *   I2  `owner` is written only by the thread that holds LOCKED (set after acquiring, cleared
     *       before releasing), so `owner == currentThread()` is exact without a fence: a thread
     *       reads its own last write, and never sees itself written by another thread.
     *   I3  A waiter woken with TOKEN_HANDOFF owns the lock: the unlocker left LOCKED set.
     * Protocol: lock is one acquire-CAS 0 -> LOCKED; otherwise acquireSlow spins (bounded, only while
     *   nobody is parked), sets PARKED and parks with validate "state == LOCKED|PARKED". Unlock is
     *   one release-CAS LOCKED -> 0; otherwise releaseSlow unparks one waiter and, in the callback,
     *   either hands the lock over (fair) or frees it, keeping PARKED if more wait.
     * Memory ordering: acquire on every CAS that sets LOCKED, release on every store or CAS that
     *   clears it, so the critical sections are ordered by happens-before; a hand-off publishes
     *   through the parking lot (the unparker's writes happen-before the woken thread returns).
     * Fairness/progress: barging (a running thread may take the lock ahead of parked ones) for
     *   throughput; but a waiter that first parked 0.5 ms or more ago gets the lock handed to it
     *   directly (a woken waiter that loses the race parks again with its original age:
     *   ParkingLot's waitingSince), so nobody starves. unlockFair() always hands off.
     * Tried and rejected: Go's "woken" bit (at most one woken waiter on its way; unlocks wake
     *   nobody meanwhile, as AQS clears its head's status once it signals). On 2 cores it helped
     *   at 4 threads and lost at 2 (the owner pays extra RMWs on the word while its one rival is
     *   woken), and at 8 threads it helped in one session's runs and lost in the next's; see
     *   docs/BENCHMARKS.md, issue 13, second pass. Spinning without the yields (SpinWait's
     *   70-pause schedule, so a loser parks sooner when threads outnumber cores): worse in every
     *   contended shape in a quiet A/B (2/4/8 threads 108/134/116 -> 79/82/79 ops/us; fourth
     *   pass): on 2 cores the yields are what lets the holder run.
     * Footprint: 12-byte header + state + owner = 24 bytes with compressed oops; no padding on
     *   purpose (a mutex is embedded in many objects; Footprint in lockstep-bench checks it).
     */
    static final int LOCKED = 1, PARKED = 2;
    /** Unpark tokens: retry the lock, or you already own it. */
    static final long TOKEN_NORMAL = 0, TOKEN_HANDOFF = 1;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(MutexCore.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static {   // for DeadlockDetector: who holds a mutex its waiters park on (a racy snapshot; I2)
        LockHolders.register(MutexCore.class, (m, action) -> {
            Object h = ((MutexCore) m).holder();
            if (h instanceof Thread t) action.accept(t);
            else if (h instanceof RawMutexGuard g) action.accept(g.holderThread());   // guard-owned: the task's last thread
        });
    }

    private volatile int state;
    /** Holder of LOCKED, or null; plain (I2). */
    Thread owner;

    MutexCore() {}

    // ---------------------------------------------------------------- acquire

    /** The uncontended path: one CAS. The caller sets the owner. */
    final boolean acquireFast() {
        return STATE.weakCompareAndSetAcquire(this, 0, LOCKED);
    }

    /** Takes the lock if free, even when others are parked (barging, as tryLock in JUC). */
    final boolean acquireNow() {
        for (int s = state; (s & LOCKED) == 0; s = state) {
            if (STATE.weakCompareAndSetAcquire(this, s, s | LOCKED)) return true;
        }
        return false;
    }

    final void acquireUninterruptibly() {
        if (!acquireFast()) acquireSlow(Deadline.NONE, false);
        owner = Thread.currentThread();
    }

    /** Returns a WaitOutcome: DONE, TIMED_OUT or INTERRUPTED; sets no owner. */
    final int acquireSlow(long deadline, boolean interruptible) {
        ContendedAcquireEvent e = Jfr.contendedAcquire();     // null unless JFR records it
        if (e == null) return acquireContended(deadline, interruptible);
        Thread holder = owner;
        int r = acquireContended(deadline, interruptible);
        e.end(this, "exclusive", holder, r);
        if (r == DONE) Jfr.holdBegins(this);                 // for the profile's hold times
        return r;
    }

    private int acquireContended(long deadline, boolean interruptible) {
        SpinWait spin = new SpinWait();
        long waitingSince = 0;                                 // from the first park, for fairness
        for (;;) {
            int s = state;
            if ((s & LOCKED) == 0) {
                if (STATE.weakCompareAndSetAcquire(this, s, s | LOCKED)) return DONE;
                continue;
            }
            if (Deadline.expired(deadline)) return TIMED_OUT;  // before spinning: tryLock(0) must not wait
            // Spin only while nobody is parked: once someone is, we would only delay it.
            if ((s & PARKED) == 0 && spin.spin()) continue;
            if ((s & PARKED) == 0 && !STATE.weakCompareAndSet(this, s, s | PARKED)) continue;
            if (waitingSince == 0) waitingSince = System.nanoTime() | 1;   // never 0 again
            ParkResult r = ParkingLot.park(this, this, this::stillLockedAndParked, null, this::parkCancelled,
                    ParkingLot.DEFAULT_PARK_TOKEN, deadline, interruptible, waitingSince);
            switch (r) {
                case ParkResult.Unparked u when u.token() == TOKEN_HANDOFF -> {
                    return DONE;                               // I3
                }
                case ParkResult.TimedOut t -> {
                    return TIMED_OUT;
                }
                case ParkResult.Interrupted i -> {
                    return INTERRUPTED;
                }
                default -> spin.reset();                       // woken or invalid: try again
            }
        }
    }

    /** validate, under the bucket lock: sleep only if the unlocker will see PARKED. */
    private boolean stillLockedAndParked() {
        return state == (LOCKED | PARKED);
    }

    /** Cancel callback, under the bucket lock: the last waiter to leave clears PARKED (I1); also a Condvar's, for a waiter it moved here. */
    final void parkCancelled(Object key, boolean wasLastThread) {
        if (wasLastThread) STATE.getAndBitwiseAnd(this, ~PARKED);
    }

    // ---------------------------------------------------------------- release

    /** Releases; the caller has checked ownership. */
    final void release(boolean fair) {
        if (LockTracking.ENABLED) LockTracking.released(this);
        owner = null;                                          // before the release (I2)
        freeLockWord(fair);
    }

    /** Clears LOCKED, waking or handing over to a waiter if one is parked. */
    private void freeLockWord(boolean fair) {
        if (!STATE.weakCompareAndSetRelease(this, LOCKED, 0)) releaseSlow(fair);
    }

    private void releaseSlow(boolean fair) {
        for (;;) {
            if (state == LOCKED) {                             // only a spurious CAS failure
                if (STATE.weakCompareAndSetRelease(this, LOCKED, 0)) return;
                continue;
            }
            break;
        }
        ParkingLot.unparkOne(this, r -> {
            if (r.unparkedThreads() != 0 && (fair || r.beFair())) {
                // Hand-off: LOCKED stays set for the woken thread (I3).
                if (!r.haveMoreThreads()) STATE.setRelease(this, LOCKED);
                return TOKEN_HANDOFF;
            }
            STATE.setRelease(this, r.haveMoreThreads() ? PARKED : 0);   // keeps I1
            return TOKEN_NORMAL;
        });
        // Ends a hold begun by acquireSlow, if any: after the release, so that a recording does
        // not lengthen the critical section (the hold reads as longer by the unpark).
        Jfr.holdEnds(this);
    }

    // ---------------------------------------------------------------- guard-owned holds (lockAsync)

    /**
     * For an async acquire: takes the lock now (returns null, LOCKED is ours) or queues
     * {@code waiter} in the same line as the parked threads and returns its handle. The parking
     * lot later calls {@code waiter} once with the unpark token: TOKEN_HANDOFF means the lock was
     * handed over (I3; an async waiter always asks for fairness, so unlock hands off to it),
     * anything else means "retry". No owner is set: the hold belongs to a guard.
     */
    final AsyncWait acquireOrEnqueue(LongConsumer waiter) {
        return acquireOrEnqueue(waiter, System.nanoTime(), false);
    }

    /**
     * As {@link #acquireOrEnqueue(LongConsumer)}, for a waiter that has waited since
     * {@code waitingSince} and, if {@code barging}, retries on its own like a thread: the unlock
     * then hands off to it only once it is due (0.5 ms, as for threads) and otherwise frees the
     * lock and wakes it with TOKEN_NORMAL, so running holders may barge meanwhile.
     */
    final AsyncWait acquireOrEnqueue(LongConsumer waiter, long waitingSince, boolean barging) {
        for (;;) {
            int s = state;
            if ((s & LOCKED) == 0) {
                if (STATE.weakCompareAndSetAcquire(this, s, s | LOCKED)) return null;
                continue;
            }
            if ((s & PARKED) == 0 && !STATE.weakCompareAndSet(this, s, s | PARKED)) continue;
            AsyncWait w = ParkingLot.parkAsync(this, this::stillLockedAndParked, ParkingLot.DEFAULT_PARK_TOKEN, waiter,
                    waitingSince, barging);
            if (w != null) return w;                          // otherwise the state moved: look again
        }
    }

    /**
     * For an async acquire, before it queues: spins as acquireContended does (bounded, and only
     * while nobody is parked) but with CPU hints only, never yielding, since the thread is a
     * pool's and its other tasks are not ours to give way to; true if it took the lock (no owner
     * set). Without it every loser queued at once and, from then on, every unlock woke a request
     * through a future (issue 15's AsyncLockBench {@code contended}). A thread that holds the
     * lock itself does not spin: nothing can free it meanwhile (a Condvar's notify, made under
     * the lock, re-takes it for an async waiter on the notifier's thread).
     */
    final boolean acquireSpinning() {
        if (owner == Thread.currentThread()) return false;   // I2: exact
        SpinWait spin = new SpinWait();
        for (;;) {
            int s = state;
            if ((s & LOCKED) == 0) {
                if (STATE.weakCompareAndSetAcquire(this, s, s | LOCKED)) return true;
                continue;
            }
            if ((s & PARKED) != 0 || !spin.spinNoYield()) return false;
        }
    }

    /** Takes a queued async waiter out (clearing PARKED if it was the last, I1); false if already woken. */
    final boolean cancelQueued(AsyncWait w) {
        return w.cancel(this::parkCancelled);
    }

    /**
     * A waiter woken with TOKEN_NORMAL (the lock freed for it, PARKED kept for the others) that
     * no longer wants the lock passes the wake-up on: takes the lock if it is still free and
     * releases it, which wakes the next waiter. If someone else took it, their unlock wakes.
     */
    final void passWakeUpOn() {
        if (acquireNow()) freeLockWord(false);
    }

    /** Releases a guard-owned hold: no thread held it, so nothing is tracked or owned per thread. */
    final void releaseGuardOwned(boolean fair) {
        freeLockWord(fair);
    }

    /** Who holds the lock, for reports: the owning thread, or null (RawMutex adds its guards). */
    Object holder() {
        return owner;
    }

    // ---------------------------------------------------------------- queries

    final boolean locked() {
        return (state & LOCKED) != 0;
    }

    final boolean heldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    final boolean hasParked() {
        return (state & PARKED) != 0;
    }

    // ---------------------------------------------------------------- monitoring, as ReentrantLock's

    /**
     * Always false: the lock barges for throughput, with eventual fairness (a thread parked about
     * half a millisecond is handed the lock) and {@link FairUnlock#unlockFair()} when it matters.
     */
    public boolean isFair() {
        return false;
    }

    /** Whether threads (or async requests, see RawMutex.lockAsync) wait for the lock (a snapshot, for monitoring). */
    public boolean hasQueuedThreads() {
        return hasParked() && ParkingLot.queueLength(this) > 0;
    }

    /**
     * Whether {@code thread} is parked waiting for the lock (a snapshot, for monitoring).
     *
     * @throws NullPointerException if {@code thread} is null
     */
    public boolean hasQueuedThread(Thread thread) {
        Objects.requireNonNull(thread, "thread");
        return ParkingLot.isParkedOn(thread, this);
    }

    /** How many threads and async requests wait for the lock (a snapshot, for monitoring). */
    public int getQueueLength() {
        return ParkingLot.queueLength(this);
    }

    /** The threads parked waiting for the lock, longest-waiting first (a snapshot, for monitoring; async requests are not threads). */
    public Collection<Thread> getQueuedThreads() {
        return ParkingLot.parkedThreads(this);
    }

    /**
     * Whether threads wait on {@code condition}, one of this lock's (a snapshot, for monitoring).
     *
     * @throws NullPointerException if {@code condition} is null
     * @throws IllegalArgumentException if {@code condition} is not from this lock's newCondition
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    public boolean hasWaiters(Condition condition) {
        return ParkingLot.queueLength(MutexCondition.condvarOf(this, condition)) > 0;
    }

    /** How many threads wait on {@code condition}; throws as {@link #hasWaiters}. */
    public int getWaitQueueLength(Condition condition) {
        return ParkingLot.queueLength(MutexCondition.condvarOf(this, condition));
    }

    /** The threads waiting on {@code condition}, longest first; throws as {@link #hasWaiters}. */
    public Collection<Thread> getWaitingThreads(Condition condition) {
        return ParkingLot.parkedThreads(MutexCondition.condvarOf(this, condition));
    }

    // ---------------------------------------------------------------- for Condvar's requeue

    /** Under the bucket locks of a requeue: waiters were moved onto this mutex. */
    final void markParked() {
        STATE.getAndBitwiseOr(this, PARKED);
    }

    /**
     * Releases completely before a condition wait; returns what {@link #restoreAfterWait} needs
     * (the hold count of a reentrant mutex). The caller has checked ownership.
     */
    abstract int releaseForWait();

    /** Re-takes the lock after a condition wait, uninterruptibly, and restores {@code saved}. */
    abstract void restoreAfterWait(int saved, long token);

    /** Re-takes the lock after a condition wait: a hand-off token means we already own it. */
    final void reacquireAfterWait(long token) {
        if (token == TOKEN_HANDOFF) owner = Thread.currentThread();   // I3
        else acquireUninterruptibly();
        if (LockTracking.ENABLED) LockTracking.acquired(this, LockTracking.EXCLUSIVE);   // re-held after a wait
    }

    final IllegalMonitorStateException notOwner() {
        Thread o = owner;
        return new IllegalMonitorStateException("unlock by " + Thread.currentThread()
                + ", which does not hold this lock" + (o == null ? "" : " (held by " + o + ")"));
    }

    @Override
    public String toString() {
        Object h = holder();
        String by = h instanceof Thread t ? t.getName() : h == null ? "?" : h.toString();
        return Names.describe(this) + (locked() ? "[locked by " + by + "]" : "[unlocked]");
    }
}
