package io.lockstep.spin;

import io.lockstep.park.ParkResult;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The MCS queue lock: waiters form a linked queue and each spins on a flag in its own node, so a
 * release touches only the next waiter's cache line. FIFO, and the most scalable lock here when
 * many cores contend.
 *
 * <pre>{@code
 * Mutex<long[]> histogram = Mutex.of(new McsLock(), new long[64]);
 * histogram.withLock(h -> h[bucket]++);
 * }</pre>
 *
 * <p>A lock is one reference; each {@link #lock()} allocates a small node (about 24 bytes), which
 * becomes garbage after the release. Under oversubscription a waiter spins briefly, yields, and
 * then parks on its predecessor's node, so the release wakes exactly the next thread.
 *
 * <p><b>Memory effects:</b> as {@link java.util.concurrent.locks.Lock}: an unlock happens-before
 * every later lock of the same lock.
 * <p><b>Fairness:</b> {@code lock()} is FIFO. {@link #tryLock()} succeeds only when nobody holds
 * or waits; the timed and interruptible forms poll and are not FIFO.
 * <p><b>Ownership:</b> not reentrant ({@link #lock()} by the holder throws
 * {@link IllegalStateException}); {@link #unlock()} by a non-holder throws
 * {@link IllegalMonitorStateException}.
 */
public final class McsLock extends SpinCore {
    /*
     * Implementation notes.
     *
     * Algorithm: Mellor-Crummey & Scott, "Algorithms for scalable synchronization on shared-memory
     * multiprocessors" (1991), the list-based queue lock. Differences: a fresh node per
     * acquisition (the GC makes recycling unnecessary and removes ABA); parking instead of
     * unbounded spinning; timed/interruptible acquisition polls (SpinCore).
     * State:  tail == null        free
     *         tail == holder      held, no waiters
     *         tail == other node  held, waiters queued behind the holder's node
     *   node.locked  true until the predecessor hands over (written once by the predecessor)
     *   node.next    the successor, linked by the successor after it swapped itself into tail
     * Invariants:
     *   I1  `holder` is the node of the thread that holds the lock; plain, written and read only
     *       by the holder (published to the next holder by the hand-off).
     *   I2  Every wait in this lock parks on the key of the node whose owner will end it: a waiter
     *       on its predecessor's node (ended by that node's release), a releaser waiting for its
     *       successor's link on its own node (ended by the successor, which wakes it after
     *       linking), a poller on the tail node it saw (ended by that node's release). So a
     *       release wakes exactly one key: its own node.
     * Memory ordering: getAndSet/CAS on tail are volatile; the hand-off is a volatile write of
     *   successor.locked = false, read by the successor with a volatile read (acquire).
     * Fairness/progress: FIFO among lock() callers; the release may wait for a successor that
     *   swapped itself into tail but has not linked yet (a window of two instructions, unless the
     *   successor is descheduled there: then the releaser parks, I2).
     * Cost: uncontended, one getAndSet, one CAS, one allocation. Contended, O(1) invalidations per
     *   hand-off; the price is a longer hand-off chain (the successor must be running to proceed).
     */
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(McsLock.class, "tail", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Node {
        volatile boolean locked;                               // written once, by the predecessor
        volatile Node next;                                    // written once, by the successor

        Node(boolean locked) {
            this.locked = locked;
        }
    }

    private volatile Node tail;
    /** The holder's node (I1). */
    private Node holder;

    /** Creates an unlocked lock. */
    public McsLock() {
        super(false);
    }

    @Override
    void acquire() {
        Node node = new Node(true);
        Node pred = (Node) TAIL.getAndSet(this, node);
        if (pred != null) {
            pred.next = node;
            waiters.wakeAll(pred);                             // a releaser may wait for this link (I2)
            waiters.await(pred, () -> node.locked);
        }
        holder = node;
    }

    @Override
    boolean tryAcquire() {
        if (tail != null) return false;
        Node node = new Node(false);
        if (!TAIL.compareAndSet(this, null, node)) return false;
        holder = node;
        return true;
    }

    @Override
    void release() {
        Node node = holder;
        holder = null;
        Node next = node.next;
        if (next == null) {
            if (TAIL.compareAndSet(this, node, null)) {        // no successor: free
                waiters.wakeAll(node);                         // pollers that saw this tail (I2)
                return;
            }
            waiters.await(node, () -> node.next == null);      // a successor is linking itself
            next = node.next;
        }
        next.locked = false;                                   // the hand-off (volatile)
        waiters.wakeAll(node);                                 // the successor parks on our node (I2)
    }

    @Override
    ParkResult parkWhileBusy(long deadline, boolean interruptible) {
        Node t = tail;
        if (t == null) return null;
        return waiters.park(t, () -> tail == t, deadline, interruptible);
    }

    @Override
    public boolean isLocked() {
        return tail != null;
    }
}
