package io.lockstep.spin;

import io.lockstep.park.ParkResult;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The ticket lock: each thread takes a number and waits until it is served, like a bakery
 * counter. Strictly first-come first-served for {@link #lock()}, with two words of state.
 *
 * <pre>{@code
 * Mutex<List<String>> log = Mutex.of(new TicketLock(), new ArrayList<>());
 * log.withLock(l -> l.add("served in arrival order"));
 * }</pre>
 *
 * <p>All waiters read the same {@code serving} word, so every release invalidates every waiter's
 * cache line: fine for a few cores, worse than {@link McsLock} for many. Under oversubscription a
 * FIFO lock is at the mercy of the scheduler: if the next thread in line is descheduled, nobody
 * can go. Waiters therefore spin only briefly, then yield, then park on one of a few dozen slots
 * keyed by their ticket, so a release wakes only the thread whose turn it is (and rarely a
 * neighbour sharing its slot).
 *
 * <p><b>Memory effects:</b> as {@link java.util.concurrent.locks.Lock}: an unlock happens-before
 * every later lock of the same lock.
 * <p><b>Fairness:</b> {@code lock()} is FIFO. {@link #tryLock()} succeeds only when nobody holds
 * or waits; the timed and interruptible forms poll and are not FIFO.
 * <p><b>Ownership:</b> not reentrant ({@link #lock()} by the holder throws
 * {@link IllegalStateException}); {@link #unlock()} by a non-holder throws
 * {@link IllegalMonitorStateException}.
 */
public final class TicketLock extends SpinCore {
    /*
     * Implementation notes.
     *
     * Algorithm: Mellor-Crummey & Scott's ticket lock ("Algorithms for scalable synchronization on
     * shared-memory multiprocessors", 1991). Parking by ticket slot follows the waiting-array idea
     * of Dice & Kogan's TWA ("TWA - Ticket Locks Augmented with a Waiting Array", 2019), with the
     * parking lot standing in for the array.
     * State:  next     the next ticket to hand out (getAndAdd by lock, CAS by tryLock)
     *         serving  the ticket that holds the lock (written only by the holder)
     *         next == serving: free; next - serving = 1 + number of waiters (mod 2^32)
     * Invariants:
     *   I1  serving is written only by the holder (in release), so release needs no CAS.
     *   I2  A thread with ticket t parks only on slot(t), with validate "serving != t"; the
     *       release that sets serving = n wakes slot(n) (Waiters I1). A poller that saw
     *       next == n parks on slot(n) with the same validate: it is woken when the lock frees.
     * Memory ordering: acquire by reading serving == t (volatile); the release is a volatile store
     *   of serving. Tickets wrap around at 2^32 harmlessly: only equality is ever tested.
     * Slots: SLOTS is one static table for all ticket locks, indexed by ticket plus a per-lock
     *   salt, so a lock costs no extra memory; a collision only wakes a thread that re-checks.
     * Cost: uncontended, one getAndAdd and one volatile store. Contended, O(waiters) invalidations
     *   per release (global spinning); proportional back-off was tried and dropped: with bounded
     *   spinning, the yield-then-park phase dominates anyway.
     */
    private static final VarHandle NEXT, SERVING;
    private static final int SLOT_MASK = 63;
    private static final Object[] SLOTS = new Object[SLOT_MASK + 1];

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            NEXT = l.findVarHandle(TicketLock.class, "next", int.class);
            SERVING = l.findVarHandle(TicketLock.class, "serving", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        for (int i = 0; i < SLOTS.length; i++) SLOTS[i] = new Object();
    }

    private volatile int next;
    private volatile int serving;
    private final int salt = System.identityHashCode(this) * 0x9E3779B9;

    /** Creates an unlocked lock. */
    public TicketLock() {
        super(false);
    }

    @Override
    void acquire() {
        int ticket = (int) NEXT.getAndAdd(this, 1);
        if (serving != ticket) waiters.await(slot(ticket), () -> serving != ticket);   // I2
    }

    @Override
    boolean tryAcquire() {
        int s = serving;
        return next == s && NEXT.compareAndSet(this, s, s + 1);
    }

    @Override
    void release() {
        int n = serving + 1;                                   // I1: only the holder writes it
        SERVING.setVolatile(this, n);
        waiters.wakeAll(slot(n));                              // I2
    }

    @Override
    ParkResult parkWhileBusy(long deadline, boolean interruptible) {
        int n = next;
        if (serving == n) return null;
        return waiters.park(slot(n), () -> serving != n, deadline, interruptible);
    }

    @Override
    public boolean isLocked() {
        return next != serving;
    }

    /** How many threads wait in line (a snapshot, for monitoring). */
    public int getQueueLength() {
        return Math.max(0, next - serving - 1);
    }

    private Object slot(int ticket) {
        return SLOTS[(ticket + salt) & SLOT_MASK];
    }
}
