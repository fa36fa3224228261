package io.lockstep.spin;

import io.lockstep.internal.Deadline;
import io.lockstep.park.ParkResult;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The shape that {@link TicketLock}, {@link McsLock} and {@link ClhLock} share: a line of waiters
 * (tickets, an MCS list, a CLH list) in front of a test-and-set lock word. Only the thread at the
 * head of the line competes for the word; a running thread that is not in line may take the word
 * past the line when the line is empty or its head is not running. A subclass supplies the line:
 * {@link #lineEmpty}, and an {@link #acquireInLine} that waits for its turn at the head, calls
 * {@link #acquireAsHead}, then makes the next thread in line the head.
 */
abstract sealed class LineLock extends SpinCore permits TicketLock, McsLock, ClhLock {
    /*
     * Implementation notes.
     *
     * State:  locked      0 free, 1 held: the mutual exclusion itself (CAS 0 -> 1, volatile store 0)
     *         headParked  the head of the line is not running: parked waiting for `locked`, or
     *                     made head but not yet scheduled. Stale `true` while the line is empty
     *                     (harmless: an empty line admits bypassers anyway).
     * Invariants:
     *   L1  Mutual exclusion is `locked` alone: every acquirer CASes it 0 -> 1.
     *   L2  Only the head (in acquireAsHead) and bypassers CAS `locked`; a thread not in line
     *       bypasses only if lineEmpty() or headParked. The head clears headParked whenever it
     *       runs (on becoming head, after every park), so later arrivals queue: FIFO returns as
     *       soon as the head runs; only threads already past the check can still overtake it.
     *   L3  headParked is written only by the current head, and by the previous head just before
     *       it hands the headship on (its writes happen-before the new head's through the line's
     *       volatile hand-off), so the writes are serialized by headship.
     *   L4  The head, on taking `locked`, sets headParked before the subclass makes the next
     *       thread head: the next head is passed over until it runs and clears it.
     *   L5  The head and pollers park on `this` with validate "locked != 0"; release clears
     *       `locked`, then wakes `this` (Waiters I1), so no parked head is stranded. SpinCore's
     *       `waiters` counts only these; threads in line park on, and are counted by, their
     *       line's keys (queue nodes, ticket slots), so a release pays the parking lot only when
     *       a head or poller sleeps.
     *   L6  A timed/interruptible poller parks while tryAcquire would refuse it, not only while
     *       the word is held: a free word reserved for a running head is no reason to spin. (Pollers
     *       that yielded in a loop instead starved that head of a carrier under virtual threads:
     *       word 0, headParked false, the head never scheduled, no progress.) Every way the refusal
     *       ends is followed by a release, which wakes `this` (L5).
     * Memory ordering: acquire by the CAS on `locked`; release by its volatile store.
     * Why a word behind the line: with a plain queue lock the lock is handed to the next thread
     *   in line even while that thread is descheduled, so under oversubscription every hand-off
     *   waits for the scheduler (a FIFO convoy: McsLock and ClhLock measured ~0.001x
     *   ReentrantLock at 8 threads on 2 cores, TicketLock 0.0015x). The line keeps its waiters'
     *   local spinning and order; the word lets a running thread go while the head sleeps.
     */
    private static final VarHandle LOCKED;

    static {
        try {
            LOCKED = MethodHandles.lookup().findVarHandle(LineLock.class, "locked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int locked;
    private volatile boolean headParked;

    LineLock() {
        super(false);
    }

    // ---------------------------------------------------------------- the line (subclass)

    /** Whether nobody is in line (a snapshot; stale answers only delay or admit one bypass). */
    abstract boolean lineEmpty();

    /**
     * Joins the line, waits (uninterruptibly) to become its head, calls {@link #acquireAsHead},
     * then makes the next thread in line the head and wakes it.
     */
    abstract void acquireInLine();

    // ---------------------------------------------------------------- the word

    /** Called by the head of the line, running: takes `locked`, parking while it is held (L2, L4, L5). */
    final void acquireAsHead() {
        headParked = false;                                    // running at the head: FIFO again (L2)
        Backoff backoff = Backoff.constant();
        while (!LOCKED.compareAndSet(this, 0, 1)) {
            if (locked != 0 && !backoff.snooze()) {
                headParked = true;                             // running threads may bypass (L2)
                waiters.park(this, () -> locked != 0, Deadline.NONE, false);   // L5
                headParked = false;
                backoff.reset();
            }
        }
        headParked = true;                                     // the next head is not running yet (L4)
    }

    @Override
    final void acquire() {
        if (!tryAcquire()) acquireInLine();
    }

    @Override
    final boolean tryAcquire() {
        return locked == 0 && (headParked || lineEmpty()) && LOCKED.compareAndSet(this, 0, 1);   // L2
    }

    @Override
    final void release() {
        LOCKED.setVolatile(this, 0);
        waiters.wakeAll(this);                                 // L5
    }

    @Override
    final ParkResult parkWhileBusy(long deadline, boolean interruptible) {
        if (!refused()) return null;
        return waiters.park(this, this::refused, deadline, interruptible);   // L6
    }

    /**
     * Whether tryAcquire must fail now: the word is held, or it is free but reserved for a running
     * head (L6). Becomes false only through a release, or while the word is held (L4, the line
     * emptying under the word), or when a head that saw the word held is about to park.
     */
    private boolean refused() {
        return locked != 0 || !(headParked || lineEmpty());
    }

    @Override
    public final boolean isLocked() {
        return locked != 0;
    }
}
