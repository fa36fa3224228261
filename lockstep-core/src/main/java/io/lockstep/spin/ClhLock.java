package io.lockstep.spin;

import io.lockstep.internal.Names;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The CLH queue lock: each waiter swaps a node into the tail and spins on its predecessor's node.
 * FIFO among running waiters like {@link McsLock}, with a simpler hand-off (one write, never a
 * wait for a successor) at the price of spinning on a node another thread allocated.
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
 * variant. Here the queue is a waiting line in front of a lock word: only the thread at the head
 * of the line competes for the word. Under oversubscription a FIFO lock is at the mercy of the
 * scheduler, so while the head is not running a running thread may take the word past the line;
 * strict order returns as soon as the head runs. Waiters spin only briefly, then yield, then park
 * on their predecessor's node, so passing the headship on wakes exactly the next thread.
 *
 * <p><b>Memory effects:</b> as {@link java.util.concurrent.locks.Lock}: an unlock happens-before
 * every later lock of the same lock.
 * <p><b>Fairness:</b> {@code lock()} is FIFO among threads in line, except that a newly arriving
 * thread may overtake a head of the line that is not running (parked, or not yet scheduled).
 * {@link #tryLock()} succeeds only when the lock is free and nobody waits (or the head is not
 * running); the timed and interruptible forms poll and are not FIFO.
 * <p><b>Ownership:</b> not reentrant ({@link #lock()} by the holder throws
 * {@link IllegalStateException}); {@link #unlock()} by a non-holder throws
 * {@link IllegalMonitorStateException}.
 */
public final class ClhLock extends LineLock {
    /*
     * Implementation notes.
     *
     * Algorithm: Craig (1993) and Landin & Hagersten (1994), the CLH queue lock, as in Herlihy &
     * Shavit ch. 7.5, used as a waiting room in front of a test-and-set word (LineLock): a thread
     * whose predecessor has left the line is the head and competes for the word; once it holds
     * the word it leaves the line by clearing its own node. Differences: a fresh node per queued
     * acquisition instead of recycling the predecessor's (the GC reclaims it); the bypass while
     * the head is not running (TicketLock's design, shared through LineLock); parking instead of
     * unbounded spinning.
     * State:  tail   the last node; never null (a dummy node that has left the line initially)
     *         node.inLine  true while its owner waits in line (head included); cleared once, by
     *                      the owner, when it holds the word
     *         tail.inLine == false  the line is empty (the word may still be held)
     *         (the word and headParked: LineLock)
     * Invariants (besides LineLock's L1-L5):
     *   I1  A thread whose predecessor node has inLine == false is the head; it alone competes
     *       for the word, and clears its own node's inLine only while holding the word.
     *   I2  Every wait parks on the node whose owner ends it (a waiter on its predecessor); a
     *       head waiting for the word parks on `this` (L5). Leaving the line wakes only the
     *       owner's node key.
     *   I3  unlock touches only the word: a node is dead once its owner holds the lock.
     * Memory ordering: getAndSet on tail is volatile; the headship hand-off is a volatile write
     *   of node.inLine = false, read by the successor; the lock itself is the word (LineLock).
     * Cost: uncontended, one CAS and one volatile store, no allocation. Contended, O(1)
     *   invalidations per headship hand-off, plus the word's line. On NUMA machines spinning on a
     *   remote node is slower than MCS's local spinning; on one socket they are on par.
     * Tried and rejected: the plain CLH hand-off of the lock itself through node.locked (each
     *   hand-off waits for the successor to be scheduled: ~0.001x ReentrantLock at 8 threads on
     *   2 cores, ~0.03x at 2 threads).
     */
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(ClhLock.class, "tail", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A place in line; also the Waiters of the thread that parks on it (I2). */
    private static final class Node extends Waiters {
        volatile boolean inLine;                               // set at birth, cleared once by the owner

        Node(boolean inLine) {
            this.inLine = inLine;
        }
    }

    private volatile Node tail = new Node(false);

    /** Creates an unlocked lock. */
    public ClhLock() {
    }

    @Override
    void acquireInLine() {
        Node node = new Node(true);
        Node pred = (Node) TAIL.getAndSet(this, node);
        if (pred.inLine) pred.await(pred, this, () -> pred.inLine);   // I1, I2
        acquireAsHead();                                       // holds the word now
        node.inLine = false;                                   // the next head (volatile, after L4)
        node.wakeAll(node);                                    // it parks on our node (I2)
    }

    @Override
    boolean lineEmpty() {
        return !tail.inLine;
    }

    /**
     * Names this lock for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * lock, so a field can be named where it is created:
     * {@code private final ClhLock lock = new ClhLock().named("stats");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this lock already has another name
     */
    public ClhLock named(String name) {
        return Names.name(this, name);
    }

    /** This lock's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
