package io.lockstep.lock;

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
     * Based on: parking_lot's RawMutex (bits in one word plus the keyed parking lot), WebKit's
     * WTF::Lock (barging with eventual fairness) and Go's sync.Mutex (the "woken" bit: at most one
     * waiter is on its way at a time). Differences: an owner field, so that unlock by a non-owner
     * throws as Lock requires; fairness judged per waiter by the parking lot, from the moment the
     * waiter first parked; interruptible and timed waits.
     *
     * State:   WAKING PARKED LOCKED
     *             -      0      0    free, no waiters
     *             -      0      1    held, no waiters: unlock is one CAS
     *             -      1      0    free; a waiter is on its way, or a parker may still back out
     *             -      1      1    held, waiters queued (or about to be)
     *             1      -      -    one woken waiter is running towards the lock: unlockers
     *                                leave the parked ones asleep until it has won or re-parked
     * Invariants:
     *   I1  PARKED is cleared only under the bucket lock of this key (unpark and cancel
     *       callbacks), so a thread that parks after setting it is always found by unlockSlow.
     *   I2  `owner` is written only by the thread that holds LOCKED (set after acquiring, cleared
     *       before releasing), so `owner == currentThread()` is exact without a fence: a thread
     *       reads its own last write, and never sees itself written by another thread.
     *   I3  A waiter woken with TOKEN_HANDOFF owns the lock: the unlocker left LOCKED set.
     *   I4  WAKING is set only by an unlocker that wakes a waiter with TOKEN_WAKING (so at most one
     *       such waiter exists), and cleared only by that waiter: when it takes the lock, parks
     *       again, or gives up. So while WAKING is set some running thread will look at the lock
     *       again, and an unlock that sees it needs to wake nobody.
     * Protocol: lock is one acquire-CAS 0 -> LOCKED (when that CAS saw PARKED or WAKING with the
     *   lock free, a second CAS from what it saw, so a barging owner stays out of lockSlow);
     *   otherwise lockSlow spins (bounded, CPU hints only: SpinWait.spinNoYield, about 70 pauses
     *   in all, reading the word and CASing only when it is free), but only while nobody is
     *   parked or when it is the woken waiter; then it sets PARKED (and clears its WAKING) and
     *   parks with validate "LOCKED and PARKED". Unlock reads the word and, if it is LOCKED
     *   alone, makes one release-CAS LOCKED -> 0; otherwise unlockSlow clears LOCKED alone if
     *   nobody is parked or a woken waiter is on its way (I4); otherwise, still holding the lock,
     *   it unparks the longest waiter and, in the callback, either hands the lock over (the
     *   waiter first parked 0.5 ms or more ago, or unlockFair) or frees the lock and sets WAKING.
     * Why WAKING: without it every unlock while threads are parked pays a bucket lock and an
     *   unpark, and several woken threads fight the running one; with it, as in AQS (which clears
     *   its head's status once it signals), a barging owner runs at its uncontended speed while
     *   one waiter wakes, and the others sleep.
     * Memory ordering: acquire on every CAS that sets LOCKED, release on every store or CAS that
     *   clears it, so the critical sections are ordered by happens-before; a hand-off publishes
     *   through the parking lot (the unparker's writes happen-before the woken thread returns).
     * Fairness/progress: barging (a running thread may take the lock ahead of parked ones) for
     *   throughput; but a waiter that first parked 0.5 ms or more ago is handed the lock directly
     *   by the next unlock that wakes it, and a woken waiter that loses the race parks again with
     *   its original age (ParkingLot's waitingSince), so nobody starves. unlockFair() always hands
     *   off. Spinning never yields: under oversubscription a yield hands the core to another
     *   spinner instead of the owner.
     * Footprint: 12-byte header + state + owner = 24 bytes with compressed oops; no padding on
     *   purpose (a mutex is embedded in many objects; Footprint in lockstep-bench checks it).
     */
    static final int LOCKED = 1, PARKED = 2, WAKING = 4;
    /** Unpark tokens: retry the lock, you already own it, or retry as the one woken waiter (I4). */
    static final long TOKEN_NORMAL = 0, TOKEN_HANDOFF = 1, TOKEN_WAKING = 2;
    static final int ACQUIRED = 0, TIMED_OUT = 1, INTERRUPTED = 2;

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

    /**
     * The barging path: one CAS from 0 when nobody waits; when waiters have set PARKED or WAKING
     * and the lock is free, a second CAS from the value the first one saw. Not a read first: two
     * threads fighting over the word would each miss the cache line twice (read, then upgrade for
     * the CAS) instead of once. The caller sets the owner.
     */
    final boolean acquireFast() {
        int w = (int) STATE.compareAndExchangeAcquire(this, 0, LOCKED);
        return w == 0 || (w & LOCKED) == 0 && STATE.weakCompareAndSetAcquire(this, w, w | LOCKED);
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

    /** Returns ACQUIRED, TIMED_OUT or INTERRUPTED; sets no owner. */
    final int acquireSlow(long deadline, boolean interruptible) {
        ContendedAcquireEvent e = Jfr.contendedAcquire();     // null unless JFR records it
        if (e == null) return acquireContended(deadline, interruptible, false);
        Thread holder = owner;
        int r = acquireContended(deadline, interruptible, false);
        e.end(this, "exclusive", holder, r);
        if (r == ACQUIRED) Jfr.holdBegins(this);             // for the profile's hold times
        return r;
    }

    /** As above; {@code waking}: the caller was woken with TOKEN_WAKING and owns WAKING (I4). */
    private int acquireContended(long deadline, boolean interruptible, boolean waking) {
        SpinWait spin = new SpinWait();
        long waitingSince = 0;
        boolean parkedBefore = false;
        for (;;) {
            int s = state;
            if ((s & LOCKED) == 0 && STATE.weakCompareAndSetAcquire(this, s, waking ? (s | LOCKED) & ~WAKING : s | LOCKED)) {
                return ACQUIRED;
            }
            if (Deadline.expired(deadline)) {                  // before spinning: tryLock(0) must not wait
                // Give WAKING back only while the lock is held: its holder's unlock wakes the next.
                if (!waking || ((s & LOCKED) != 0 && STATE.weakCompareAndSet(this, s, s & ~WAKING))) return TIMED_OUT;
                continue;
            }
            // Spin only while nobody is parked (else we would only delay them), or as the woken
            // waiter, whose turn it is. A lost CAS costs a round too (a back-off), so that a crowd
            // fighting over a free lock parks as well. Never yield (see notes).
            if (((s & PARKED) == 0 || waking) && spin.spinNoYield()) continue;
            // One RMW each, no CAS loop to lose: validate re-checks whatever happened meanwhile.
            STATE.getAndBitwiseOr(this, PARKED);
            if (waking) {
                STATE.getAndBitwiseAnd(this, ~WAKING);         // I4: handed back
                waking = false;
            }
            if (!parkedBefore) {
                parkedBefore = true;
                waitingSince = System.nanoTime();
            }
            ParkResult r = ParkingLot.park(this, this, this::stillLockedAndParked, null, this::parkCancelled,
                    ParkingLot.DEFAULT_PARK_TOKEN, deadline, interruptible, waitingSince);
            switch (r) {
                case ParkResult.Unparked u when u.token() == TOKEN_HANDOFF -> {
                    return ACQUIRED;                           // I3
                }
                case ParkResult.TimedOut t -> {
                    return TIMED_OUT;
                }
                case ParkResult.Interrupted i -> {
                    return INTERRUPTED;
                }
                case ParkResult.Unparked u -> {
                    waking = u.token() == TOKEN_WAKING;        // I4
                    spin.reset();
                }
                default -> spin.reset();                       // invalid: try again
            }
        }
    }

    /** validate, under the bucket lock: sleep only if the unlocker will see PARKED. */
    private boolean stillLockedAndParked() {
        return (state & (LOCKED | PARKED)) == (LOCKED | PARKED);
    }

    /** Cancel callback, under the bucket lock: the last waiter to leave clears PARKED (I1). */
    private void parkCancelled(Object key, boolean wasLastThread) {
        if (wasLastThread) STATE.getAndBitwiseAnd(this, ~PARKED);
    }

    // ---------------------------------------------------------------- release

    /**
     * Releases; the caller has checked ownership. Reads before the CAS: the line is ours (we took
     * the lock), and a barging owner with waiters parked skips a CAS that would fail.
     */
    final void release(boolean fair) {
        if (LockTracking.ENABLED) LockTracking.released(this);
        owner = null;                                          // before the release (I2)
        freeLockWord(fair);
    }

    /** Clears LOCKED, waking or handing over to a waiter if one is due. */
    private void freeLockWord(boolean fair) {
        if (state != LOCKED || !STATE.weakCompareAndSetRelease(this, LOCKED, 0)) releaseSlow(fair);
    }

    /** Nobody parked, or a woken waiter is on its way (I4): unlock just frees the lock. */
    private static boolean nobodyToWake(int s, boolean fair) {
        return (s & PARKED) == 0 || (!fair && (s & WAKING) != 0);
    }

    /** Releases a lock that others wait for (PARKED or WAKING set), or after a spurious CAS failure. */
    private void releaseSlow(boolean fair) {
        releaseWaitedFor(fair);
        // Ends a hold begun by acquireSlow, if any: after the release, so that a recording does
        // not lengthen the critical section (the hold reads as longer by the unpark).
        Jfr.holdEnds(this);
    }

    private void releaseWaitedFor(boolean fair) {
        for (int s = state; nobodyToWake(s, fair); s = state) {
            if (STATE.weakCompareAndSetRelease(this, s, s & ~LOCKED)) return;
        }
        ParkingLot.unparkOne(this, r -> {                     // still holding the lock
            if (r.unparkedThreads() == 0) {
                // Everyone left (or a parker is still to validate: it will see PARKED gone, I1).
                STATE.getAndBitwiseAndRelease(this, ~(LOCKED | PARKED));
                return TOKEN_NORMAL;
            }
            if (fair || r.beFair()) {
                // Hand-off: LOCKED stays set for the woken thread (I3).
                if (!r.haveMoreThreads()) STATE.getAndBitwiseAnd(this, ~PARKED);
                return TOKEN_HANDOFF;
            }
            int clear = r.haveMoreThreads() ? LOCKED : LOCKED | PARKED;     // keeps I1
            for (int s = state; ; s = state) {
                if (STATE.weakCompareAndSetRelease(this, s, (s & ~clear) | WAKING)) return TOKEN_WAKING;   // I4
            }
        });
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
        for (;;) {
            int s = state;
            if ((s & LOCKED) == 0) {
                if (STATE.weakCompareAndSetAcquire(this, s, s | LOCKED)) return null;
                continue;
            }
            if ((s & PARKED) == 0 && !STATE.weakCompareAndSet(this, s, s | PARKED)) continue;
            AsyncWait w = ParkingLot.parkAsync(this, this::stillLockedAndParked, ParkingLot.DEFAULT_PARK_TOKEN, waiter);
            if (w != null) return w;                          // otherwise the state moved: look again
        }
    }

    /** Takes a queued async waiter out (clearing PARKED if it was the last, I1); false if already woken. */
    final boolean cancelQueued(AsyncWait w) {
        return w.cancel(this::parkCancelled);
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

    /** Under the bucket locks of a requeue: sets PARKED if the mutex is held. */
    final boolean markParkedIfLocked() {
        for (int s = state; (s & LOCKED) != 0; s = state) {
            if (STATE.weakCompareAndSet(this, s, s | PARKED)) return true;
        }
        return false;
    }

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

    /**
     * Re-takes the lock after a condition wait. The token is the mutex's when a notifyAll moved
     * the waiter onto the mutex's queue: a hand-off means we already own it (I3), a wake-up means
     * we own WAKING (I4).
     */
    final void reacquireAfterWait(long token) {
        if (token == TOKEN_HANDOFF) owner = Thread.currentThread();   // I3
        else if (token == TOKEN_WAKING) {
            acquireContended(Deadline.NONE, false, true);
            owner = Thread.currentThread();
        } else acquireUninterruptibly();
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
