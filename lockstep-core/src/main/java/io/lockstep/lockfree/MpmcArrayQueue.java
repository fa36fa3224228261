package io.lockstep.lockfree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A bounded multi-producer multi-consumer FIFO queue on a ring of sequenced slots (Dmitry
 * Vyukov's bounded MPMC queue), the algorithm under the bounded {@code Channel}.
 *
 * <p><b>Progress:</b> not lock-free, strictly: a producer (consumer) that has claimed a slot
 * and stalls before publishing it makes the consumer (producer) of that very slot wait for it,
 * as in Vyukov's original. That window is two plain stores long; every other conflict is a lost
 * CAS that another thread won. Linearizable: full and empty are reported only when true.
 *
 * <pre>{@code
 * MpmcArrayQueue<Request> q = new MpmcArrayQueue<>(1024);
 * if (!q.offer(req)) reject(req);  // full
 * Request r = q.poll();            // null if empty
 * }</pre>
 *
 * <p><b>Memory effects:</b> actions before an offer happen-before actions after the poll that
 * returns that element.
 *
 * @param <T> the element type
 */
public final class MpmcArrayQueue<T> {
    /*
     * Implementation notes.
     * Based on: Vyukov, "Bounded MPMC queue" (1024cores.net). Differences from the bounded
     *   channel's ArrayFlavor: no close bit and no two-phase reservation, so positions are plain
     *   counters and slot sequences are position-based; the ring size needs no power of two.
     * State: producer position `tail`, consumer position `head` (monotonic longs); per slot i a
     *   sequence seq[i]:
     *     seq == pos              free for the producer at pos
     *     seq == pos + 1          full, for the consumer at pos
     *     seq == pos + capacity   freed by that consumer for the producer one lap later
     * Invariants: I1 head <= tail <= head + capacity; I2 a slot's element is written only by the
     *   producer that claimed it by CAS on tail, read only by the consumer that claimed it by CAS
     *   on head; the sequence orders the two (release store, acquire load).
     * Tried and rejected: padding each slot's sequence (JCTools pads only the indices; the ring
     *   is mostly touched by one producer and one consumer per slot at a time).
     */
    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle HEAD, TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(MpmcArrayQueue.class, "head", long.class);
            TAIL = l.findVarHandle(MpmcArrayQueue.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private final long[] sequences;
    private final Object[] elements;   // I2
    private volatile long head;
    private volatile long tail;

    /** A queue of {@code capacity} (at least 1) elements. */
    public MpmcArrayQueue(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        this.capacity = capacity;
        this.sequences = new long[capacity];
        this.elements = new Object[capacity];
        for (int i = 0; i < capacity; i++) sequences[i] = i;
    }

    /** Appends {@code value} (non-null) if there is room; false if full. */
    public boolean offer(T value) {
        Objects.requireNonNull(value, "value");
        for (;;) {
            long pos = tail;
            int i = (int) (pos % capacity);
            long seq = (long) SEQ.getAcquire(sequences, i);
            if (seq == pos) {
                if (TAIL.compareAndSet(this, pos, pos + 1)) {
                    elements[i] = value;
                    SEQ.setRelease(sequences, i, pos + 1);             // I2: publish
                    return true;
                }
            } else if (seq < pos && pos - head >= capacity) {
                return false;                                          // full (I1)
            }
            Thread.onSpinWait();                                       // lost a race, or a peer mid-free
        }
    }

    /** Removes and returns the oldest element, or null if empty. */
    @SuppressWarnings("unchecked")
    public T poll() {
        for (;;) {
            long pos = head;
            int i = (int) (pos % capacity);
            long seq = (long) SEQ.getAcquire(sequences, i);
            if (seq == pos + 1) {
                if (HEAD.compareAndSet(this, pos, pos + 1)) {
                    Object v = elements[i];
                    elements[i] = null;
                    SEQ.setRelease(sequences, i, pos + capacity);      // I2: free for next lap
                    return (T) v;
                }
            } else if (seq < pos + 1 && tail == pos) {
                return null;                                           // empty (I1)
            }
            Thread.onSpinWait();                                       // lost a race, or a peer mid-publish
        }
    }

    /** Number of elements (a snapshot). */
    public int size() {
        for (;;) {
            long h = head, t = tail;
            if (h == head) return (int) Math.max(0, Math.min(capacity, t - h));
        }
    }

    /** Whether the queue is empty (a snapshot). */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** The capacity given at construction. */
    public int capacity() {
        return capacity;
    }
}
