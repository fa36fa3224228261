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
 * The state machine shared by {@link RawMutex} and {@link ReentrantMutex}: three bytes of state
 * (held, waiters parked, ever contended), the owner, and the {@link ParkingLot} (keyed by this
 * object) for the waiters.
 */
abstract sealed class MutexCore implements FairUnlock permits RawMutex, ReentrantMutex {
    /*
     * Implementation notes.
     *
     * Based on: parking_lot's RawMutex (a LOCKED and a PARKED bit plus the keyed parking lot),
     * WebKit's WTF::Lock, and AQS's release (a volatile store, then a look for waiters).
     * Differences: an owner field, so that unlock by a non-owner throws as Lock requires;
     * fairness judged per waiter by the parking lot, from the moment the waiter first parked;
     * interruptible and timed waits; the two bits live in two bytes of their own, so that an
     * uncontended unlock need not read-modify-write (below).
     *
     * State:   parked locked
     *             0      0    free, no waiters
     *             0      1    held, no waiters: unlock is one volatile store
     *             1      0    free; a woken waiter is on its way, or a parker may still back out
     *             1      1    held, waiters queued (or about to be)
     * Invariants:
     *   I1  `parked` is cleared only under the bucket lock of this key (unpark and cancel
     *       callbacks), and a parker sets it before its validate reads `locked` under that lock,
     *       so a thread that parks is always found by the next release.
     *   I2  `owner` is written only by the thread that holds `locked` (set after acquiring,
     *       cleared before releasing), so `owner == currentThread()` is exact without a fence: a
     *       thread reads its own last write, and never sees itself written by another thread.
     *   I3  A waiter woken with TOKEN_HANDOFF owns the lock: the unlocker left `locked` set.
     * Protocol: lock is one acquire-CAS of `locked` 0 -> 1; otherwise acquireSlow spins (bounded,
     *   only while nobody is parked), sets `parked` and parks with validate "locked and parked".
     *   Unlock with nobody parked frees `locked` with a full fence (below) and takes a second look
     *   at `parked`: a Dekker pair with the parker's store of `parked` and its validate's load
     *   of `locked`, so one of the two sees the other (if the second look finds a parker arrived
     *   meanwhile, wakeAfterFree wakes one). Unlock with waiters parked keeps the lock and goes
     *   to releaseSlow, which unparks one waiter and, in the callback, either hands the lock over
     *   (fair, or the waiter is due) or frees it, keeping `parked` if more wait.
     * How unlock frees the lock: a volatile store until the mutex is first contended, a CAS
     *   after. Both are full fences, so the Dekker pair holds either way. With one word, a CAS
     *   unlock had to read-modify-write to keep a PARKED bit set meanwhile; with `parked` in a
     *   byte of its own the store is enough, and an uncontended lock/unlock pair then costs
     *   4.3 ns instead of 5.2 (ReentrantLock's 4.3 has the same shape: CAS, then a volatile
     *   store; FloorBench, issue 13). But with a thread spinning on `locked`, the store lets the
     *   spinner take the lock far more often than the CAS does, and every hand-over moves the
     *   lock's line between cores: MutexBench contended (2 threads) ran at 47-55 ops/us in every
     *   fork with the store, against 57-131 with the CAS; contended4 at 64-83 against 97-151
     *   (2026-12-05, same hour; docs/BENCHMARKS.md, sixth pass).
     *   So the first acquire that has to wait (or a Condvar requeue onto the mutex) sets
     *   `contended` before it sets `parked`, and from then on unlocks CAS.
     *   It is never cleared: clearing needs a write on the hot path, and a lock contended once
     *   is likely to be contended again; the cost is the 0.9 ns of the CAS, not correctness.
     *   The three bytes share the 4 bytes after the object header that the int used, so the
     *   footprint is unchanged.
     * Memory ordering: acquire on every CAS that sets `locked`, release (or volatile) on every
     *   store that clears it, so the critical sections are ordered by happens-before; a hand-off
     *   publishes through the parking lot (the unparker's writes happen-before the woken thread
     *   returns).
     * Fairness/progress: barging (a running thread may take the lock ahead of parked ones) for
     *   throughput; but a waiter that first parked 0.5 ms or more ago gets the lock handed to it
     *   directly (a woken waiter that loses the race parks again with its original age:
     *   ParkingLot's waitingSince), so nobody starves. unlockFair() always hands off.
     * Tried and rejected: Go's "woken" bit (at most one woken waiter on its way; unlocks wake
     *   nobody meanwhile, as AQS clears its head's status once it signals). On 2 cores it helped
     *   at 4 threads and lost at 2 (the owner pays extra RMWs on the word while its one rival is
     *   woken), and at 8 threads it helped in one session's runs and lost in the next's; see
     *   docs/BENCHMARKS.md, issue 13, second pass. Tried again as a byte of its own (no RMW:
     *   the woken waiter clears it before it retries, a Dekker pair with the unlock's look):
     *   the same at 2, 4 and 8 threads in two alternating rounds (sixth pass), also with a
     *   woken waiter that tries once and parks again instead of spinning anew. Spinning
     *   without the yields (SpinWait's 70-pause schedule, so a loser parks sooner when threads
     *   outnumber cores): worse in every
     *   contended shape in a quiet A/B (2/4/8 threads 108/134/116 -> 79/82/79 ops/us; fourth
     *   pass): on 2 cores the yields are what lets the holder run. Again on a slower host
     *   (seventh pass), SpinWait.spinNoYield in acquireSlow: contended 2.30x -> 0.91x
     *   ReentrantLock, contended4 0.70x -> 0.19x.
     * Footprint: 12-byte header + the three state bytes (in the 4 bytes the int used) + owner +
     *   RawMutex's guard or ReentrantMutex's count = 24 bytes with compressed oops; no padding on
     *   purpose (a mutex is embedded in many objects; Footprint in lockstep-bench checks it).
     */
    /** Unpark tokens: retry the lock, or you already own it. */
    static final long TOKEN_NORMAL = 0, TOKEN_HANDOFF = 1;

    private static final byte NO = 0, YES = 1;
    private static final VarHandle LOCKED, PARKED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LOCKED = l.findVarHandle(MutexCore.class, "locked", byte.class);
            PARKED = l.findVarHandle(MutexCore.class, "parked", byte.class);
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

    /** YES while the lock is held. */
    private volatile byte locked;
    /** YES while waiters may be parked (or about to park) on this key; cleared only as I1 says. */
    private volatile byte parked;
    /** YES once any acquire has had to wait; never cleared (see notes: how unlock frees the lock). */
    private volatile byte contended;
    /** Holder of `locked`, or null; plain (I2). */
    Thread owner;

    MutexCore() {}

    // ---------------------------------------------------------------- acquire

    /** The uncontended path: one CAS. The caller sets the owner. */
    final boolean acquireFast() {
        return LOCKED.weakCompareAndSetAcquire(this, NO, YES);
    }

    /** Takes the lock if free, even when others are parked (barging, as tryLock in JUC). */
    final boolean acquireNow() {
        while (locked == NO) {
            if (LOCKED.weakCompareAndSetAcquire(this, NO, YES)) return true;
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
        markContended();
        SpinWait spin = new SpinWait();
        long waitingSince = 0;                                 // from the first park, for fairness
        for (;;) {
            if (locked == NO) {
                if (LOCKED.weakCompareAndSetAcquire(this, NO, YES)) return DONE;
                continue;
            }
            if (Deadline.expired(deadline)) return TIMED_OUT;  // before spinning: tryLock(0) must not wait
            // Spin only while nobody is parked: once someone is, we would only delay it.
            if (parked == NO) {
                if (spin.spin()) continue;
                PARKED.setVolatile(this, YES);                 // before validate reads `locked` (I1)
            }
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

    /** validate, under the bucket lock: sleep only if the unlocker will see `parked`. */
    private boolean stillLockedAndParked() {
        return locked == YES && parked == YES;
    }

    /** Cancel callback, under the bucket lock: the last waiter to leave clears `parked` (I1); also a Condvar's, for a waiter it moved here. */
    final void parkCancelled(Object key, boolean wasLastThread) {
        if (wasLastThread) parked = NO;
    }

    // ---------------------------------------------------------------- release

    /** Releases; the caller has checked ownership. */
    final void release(boolean fair) {
        if (LockTracking.ENABLED) LockTracking.released(this);
        owner = null;                                          // before the release (I2)
        freeLockWord(fair);
    }

    private void markContended() {
        if (contended == NO) contended = YES;                  // read first: one write per mutex, not per wait
    }

    /** Clears `locked`, waking or handing over to a waiter if one is parked. */
    private void freeLockWord(boolean fair) {
        // Both frees are full fences: the Dekker pair with a parker (notes).
        if (contended == NO) {                                 // nobody parked: parkers mark contended first
            LOCKED.setVolatile(this, NO);
        } else if (parked == NO) {
            LOCKED.compareAndSet(this, YES, NO);               // always succeeds: we hold it
        } else {
            releaseSlow(fair);
            return;
        }
        if (parked == YES) wakeAfterFree();
    }

    /** Waiters are parked and we still hold the lock: wake one, handing it the lock or freeing it. */
    private void releaseSlow(boolean fair) {
        ParkingLot.unparkOne(this, r -> {
            if (!r.haveMoreThreads()) parked = NO;             // I1: under the bucket lock
            if (r.unparkedThreads() != 0 && (fair || r.beFair())) return TOKEN_HANDOFF;   // `locked` stays set (I3)
            LOCKED.setRelease(this, NO);
            return TOKEN_NORMAL;
        });
        endHold();
    }

    /** A parker arrived as we freed the lock (the second look): wake it to retry. */
    private void wakeAfterFree() {
        ParkingLot.unparkOne(this, r -> {
            if (!r.haveMoreThreads()) parked = NO;             // I1
            return TOKEN_NORMAL;
        });
        endHold();
    }

    /**
     * Ends a hold begun by acquireSlow, if any: after the release, so that a recording does not
     * lengthen the critical section (the hold reads as longer by the unpark).
     */
    private void endHold() {
        Jfr.holdEnds(this);
    }

    // ---------------------------------------------------------------- guard-owned holds (lockAsync)

    /**
     * For an async acquire: takes the lock now (returns null, `locked` is ours) or queues
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
        markContended();
        for (;;) {
            if (locked == NO) {
                if (LOCKED.weakCompareAndSetAcquire(this, NO, YES)) return null;
                continue;
            }
            if (parked == NO) PARKED.setVolatile(this, YES);  // before validate reads `locked` (I1)
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
        markContended();
        SpinWait spin = new SpinWait();
        for (;;) {
            if (locked == NO) {
                if (LOCKED.weakCompareAndSetAcquire(this, NO, YES)) return true;
                continue;
            }
            if (parked == YES || !spin.spinNoYield()) return false;
        }
    }

    /** Takes a queued async waiter out (clearing `parked` if it was the last, I1); false if already woken. */
    final boolean cancelQueued(AsyncWait w) {
        return w.cancel(this::parkCancelled);
    }

    /**
     * A waiter woken with TOKEN_NORMAL (the lock freed for it, `parked` kept for the others) that
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
        return locked == YES;
    }

    final boolean heldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    final boolean hasParked() {
        return parked == YES;
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
        markContended();                                       // first, as every parker does (freeLockWord)
        PARKED.setVolatile(this, YES);
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
