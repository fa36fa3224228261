package io.lockstep.spin;

import io.lockstep.park.ParkResult;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The CLH queue lock: each waiter swaps a node into the tail and spins on its predecessor's node.
 * FIFO like {@link McsLock}, with a simpler release (one write, never a wait for a successor) at
 * the price of spinning on a node another thread allocated.
 *
 * <pre>{@code
 * ClhLock lock = new ClhLock();
 * lock.lock();
 * try {
 *     queue.add(item);
 * } finally {
 *     lock.unlock();
 * }
 * }</pre>
 *
 * <p>The queue behind {@link java.util.concurrent.locks.AbstractQueuedSynchronizer} is a CLH
 * variant. Under oversubscription a waiter spins briefly, yields, then parks on its predecessor's
 * node, so the release wakes exactly the next thread.
 *
 * <p><b>Memory effects:</b> as {@link java.util.concurrent.locks.Lock}: an unlock happens-before
 * every later lock of the same lock.
 * <p><b>Fairness:</b> {@code lock()} is FIFO. {@link #tryLock()} succeeds only when nobody holds
 * or waits; the timed and interruptible forms poll and are not FIFO.
 * <p><b>Ownership:</b> not reentrant ({@link #lock()} by the holder throws
 * {@link IllegalStateException}); {@link #unlock()} by a non-holder throws
 * {@link IllegalMonitorStateException}.
 */
public final class ClhLock extends SpinCore {
    /*
     * Implementation notes.
     *
     * Algorithm: Craig (1993) and Landin & Hagersten (1994), the CLH queue lock, as in Herlihy &
     * Shavit ch. 7.5. Differences: a fresh node per acquisition instead of recycling the
     * predecessor's (the GC reclaims it); parking instead of unbounded spinning.
     * State:  tail   the last node; never null (a released dummy node initially)
     *         node.locked  true while its owner holds or waits for the lock
     *         tail.locked == false  free
     * Invariants:
     *   I1  `holder` is the holder's node; plain, written and read only by the holder.
     *   I2  Every wait parks on the node whose release ends it (a waiter on its predecessor, a
     *       poller on the tail it saw); release wakes only its own node's key.
     * Memory ordering: getAndSet/CAS on tail are volatile; the release is a volatile write of
     *   node.locked = false, read by the successor (acquire).
     * Cost: uncontended, one getAndSet (lock) and one volatile store (unlock), plus an allocation.
     *   Contended, O(1) invalidations per hand-off. On NUMA machines spinning on a remote node is
     *   slower than MCS's local spinning; on one socket they are on par.
     */
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(ClhLock.class, "tail", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Node {
        volatile boolean locked;                               // set at birth, cleared by the owner's release

        Node(boolean locked) {
            this.locked = locked;
        }
    }

    private volatile Node tail = new Node(false);
    /** The holder's node (I1). */
    private Node holder;

    /** Creates an unlocked lock. */
    public ClhLock() {
        super(false);
    }

    @Override
    void acquire() {
        Node node = new Node(true);
        Node pred = (Node) TAIL.getAndSet(this, node);
        if (pred.locked) waiters.await(pred, () -> pred.locked);   // I2
        holder = node;
    }

    @Override
    boolean tryAcquire() {
        Node t = tail;
        if (t.locked) return false;                            // held, or a queue behind a holder
        Node node = new Node(true);
        if (!TAIL.compareAndSet(this, t, node)) return false;
        holder = node;
        return true;
    }

    @Override
    void release() {
        Node node = holder;
        holder = null;
        node.locked = false;                                   // the hand-off (volatile)
        waiters.wakeAll(node);                                 // I2
    }

    @Override
    ParkResult parkWhileBusy(long deadline, boolean interruptible) {
        Node t = tail;
        if (!t.locked) return null;
        return waiters.park(t, () -> t.locked, deadline, interruptible);
    }

    @Override
    public boolean isLocked() {
        return tail.locked;
    }
}
