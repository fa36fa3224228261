package io.lockstep.spin;

import io.lockstep.internal.Names;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The MCS queue lock: waiters form a linked queue and each spins on a flag in its own node, so
 * passing the head of the line on touches only the next waiter's cache line. FIFO among running
 * waiters, and the most scalable lock here when many cores contend.
 *
 * <pre>{@code
 * Mutex<long[]> histogram = Mutex.of(new McsLock(), new long[64]);
 * histogram.withLock(h -> h[bucket]++);
 * }</pre>
 *
 * <p>A lock is two words and a reference; each contended {@link #lock()} allocates a small node
 * (about 24 bytes), which becomes garbage once its thread holds the lock. The queue is a waiting
 * line in front of a lock word: only the thread at the head of the line competes for the word.
 * Under oversubscription a FIFO lock is at the mercy of the scheduler (if the next thread in line
 * is descheduled, nobody can go), so while the head is not running a running thread may take the
 * word past the line; strict order returns as soon as the head runs. Waiters spin only briefly,
 * then yield, then park on their predecessor's node, so passing the headship on wakes exactly the
 * next thread.
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
public final class McsLock extends LineLock {
    /*
     * Implementation notes.
     *
     * Algorithm: Mellor-Crummey & Scott, "Algorithms for scalable synchronization on shared-memory
     * multiprocessors" (1991), the list-based queue lock, used as a waiting room in front of a
     * test-and-set word (LineLock), as Linux's qspinlock does: the head of the MCS queue spins on
     * the word, not on its node, and leaves the queue as soon as it holds the word. Differences
     * from the paper: a fresh node per queued acquisition (the GC makes recycling unnecessary and
     * removes ABA); the bypass while the head is not running (TicketLock's design, shared through
     * LineLock); parking instead of unbounded spinning; timed/interruptible acquisition polls
     * (SpinCore).
     * State:  tail == null        nobody in line (the word may still be held)
     *         tail == node        the last thread in line; the line is [head .. tail]
     *   node.waiting  true until the predecessor makes this node's thread head (written once)
     *   node.next     the successor, linked by the successor after it swapped itself into tail
     *   (the word and headParked: LineLock)
     * Invariants (besides LineLock's L1-L5):
     *   I1  The head is the thread in line that found tail == null or whose predecessor cleared
     *       its node's `waiting`; it alone competes for the word. It leaves the line only while
     *       holding the word: CAS tail node -> null if it is last, else successor.waiting = false.
     *   I2  Every wait parks on the key of the node whose owner will end it: a waiter on its
     *       predecessor's node (ended by the predecessor leaving the line), a head waiting for its
     *       successor's link on its own node (ended by the successor, which wakes it after
     *       linking). A head waiting for the word parks on `this` (L5).
     *   I3  unlock touches only the word: no node outlives its thread's acquisition.
     * Memory ordering: getAndSet/CAS on tail are volatile; the headship hand-off is a volatile
     *   write of successor.waiting = false; the lock itself is the word (LineLock).
     * Fairness/progress: FIFO among lock() callers while the head runs; bypass otherwise (L2).
     *   A head leaving the line may wait for a successor that swapped itself into tail but has
     *   not linked yet (two instructions, unless the successor is descheduled there: then the
     *   head parks, I2), and it waits holding the word, as the classic release did.
     * Cost: uncontended, one CAS and one volatile store, no allocation. Contended, O(1)
     *   invalidations per headship hand-off, plus the word's line, which only the head and
     *   bypassers touch.
     * Tried and rejected: the plain MCS hand-off of the lock itself to the successor node (each
     *   hand-off waits for the successor to be scheduled: ~0.001x ReentrantLock at 8 threads on
     *   2 cores, ~0.03x at 2 threads).
     */
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(McsLock.class, "tail", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A place in line; also the Waiters of the threads that park on it (I2). */
    private static final class Node extends Waiters {
        volatile boolean waiting = true;                       // cleared once, by the predecessor
        volatile Node next;                                    // written once, by the successor
    }

    private volatile Node tail;

    /** Creates an unlocked lock. */
    public McsLock() {
    }

    @Override
    void acquireInLine() {
        Node node = new Node();
        Node pred = (Node) TAIL.getAndSet(this, node);
        if (pred != null) {
            pred.next = node;
            pred.wakeAll(pred);                                // the head may wait for this link (I2)
            pred.await(pred, this, () -> node.waiting);        // I2
        }
        acquireAsHead();                                       // I1: holds the word now
        Node next = node.next;
        if (next == null) {
            if (TAIL.compareAndSet(this, node, null)) return;  // last in line: the line is empty
            node.await(node, this, () -> node.next == null);   // a successor is linking itself (I2)
            next = node.next;
        }
        next.waiting = false;                                  // the next head (volatile, after L4)
        node.wakeAll(node);                                    // it parks on our node (I2)
    }

    @Override
    boolean lineEmpty() {
        return tail == null;
    }

    /**
     * Names this lock for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * lock, so a field can be named where it is created:
     * {@code private final McsLock lock = new McsLock().named("stats");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this lock already has another name
     */
    public McsLock named(String name) {
        return Names.name(this, name);
    }

    /** This lock's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
