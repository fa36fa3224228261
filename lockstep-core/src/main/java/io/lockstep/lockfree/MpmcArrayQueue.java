package io.lockstep.lockfree;

import io.lockstep.lockfree.ring.SlotRing;
import java.util.Objects;

/**
 * A bounded multi-producer multi-consumer FIFO queue on a ring of sequenced slots (Dmitry
 * Vyukov's bounded MPMC queue). The same ring (an unexported SlotRing) is under the bounded
 * {@code Channel}.
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
     * A SlotRing that is never closed and never has elements removed from its middle: offer is
     * reserveSend + publish, poll is reserveRecv + take. The ring's notes give the algorithm,
     * its invariants and why a stalled peer can hold up the user of the same slot.
     */
    private final SlotRing ring;

    /** A queue of {@code capacity} (at least 1) elements. */
    public MpmcArrayQueue(int capacity) {
        this.ring = new SlotRing(capacity);
    }

    /** Appends {@code value} (non-null) if there is room; false if full. */
    public boolean offer(T value) {
        Objects.requireNonNull(value, "value");
        long position = ring.reserveSend();
        if (position < 0) return false;                                // FULL (never closed)
        ring.publish(position, value);
        return true;
    }

    /** Removes and returns the oldest element, or null if empty. */
    @SuppressWarnings("unchecked")
    public T poll() {
        long position = ring.reserveRecv();
        return position < 0 ? null : (T) ring.take(position);          // EMPTY, or never removed
    }

    /** Number of elements (a snapshot). */
    public int size() {
        return ring.size();
    }

    /** Whether the queue is empty (a snapshot). */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** The capacity given at construction. */
    public int capacity() {
        return ring.capacity();
    }
}
