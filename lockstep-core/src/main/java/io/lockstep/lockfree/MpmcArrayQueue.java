package io.lockstep.lockfree;

import io.lockstep.lockfree.ring.SlotRing;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A bounded multi-producer multi-consumer FIFO queue on a ring of sequenced slots (Dmitry
 * Vyukov's bounded MPMC queue) that is a {@link java.util.Queue}, like JCTools'
 * {@code MpmcArrayQueue}, with elements removable from anywhere ({@code remove(Object)},
 * {@code removeIf}, {@code removeAll}, {@code retainAll}, {@code Iterator.remove}). The same
 * ring (an unexported SlotRing) is under the bounded {@code Channel}. Null elements are
 * rejected ({@link NullPointerException}); null queries answer false. {@code add} on a full
 * queue throws {@link IllegalStateException}, as {@link AbstractQueue} specifies.
 *
 * <p><b>Progress:</b> not lock-free, strictly: a producer (consumer) that has claimed a slot
 * and stalls before publishing it makes the consumer (producer) of that very slot wait for it,
 * as in Vyukov's original; {@code peek} and the removals wait for such a producer too. That
 * window is two plain stores long; every other conflict is a lost CAS that another thread won.
 *
 * <p><b>Consistency:</b> {@code offer}, {@code poll}, {@code peek}, {@code isEmpty} and
 * {@code remove(Object)} are linearizable: full and empty are reported only when true.
 * {@code size} is a snapshot that can be off by the removals in flight. Iterators (and so
 * {@code contains}, {@code toArray}) traverse a weakly consistent snapshot taken when they are
 * created, without waiting for any other thread: every element buffered throughout is in it (so
 * {@code contains(x)} right after your own {@code offer(x)} is true unless x was polled or
 * removed meanwhile), and it is exact when no other thread operates; {@code Iterator.remove}
 * removes the oldest buffered occurrence of the very object last returned (the returned one,
 * unless the same instance was offered more than once), nothing if it is gone. Bulk operations
 * are not atomic.
 *
 * <p><b>Capacity:</b> an element removed from the middle keeps its slot until the elements
 * older than it have been polled (the ring frees slots in order): until then the queue may
 * report full with fewer than {@link #capacity()} elements. Removing the oldest element frees
 * its slot at once.
 *
 * <pre>{@code
 * MpmcArrayQueue<Request> q = new MpmcArrayQueue<>(1024);
 * if (!q.offer(req)) reject(req);  // full
 * Request r = q.poll();            // null if empty
 * }</pre>
 *
 * <p><b>Memory effects:</b> actions before an offer happen-before actions after the poll that
 * returns that element (and after a peek that returns it).
 *
 * @param <T> the element type
 */
public final class MpmcArrayQueue<T> extends AbstractQueue<T> {
    /*
     * Implementation notes.
     * A SlotRing that is never closed: offer is reserveSend + publish, poll is reserveRecv +
     * take (again, if a remover marked the reserved slot meanwhile: take returns null), peek is
     * the ring's peek (I8). Interior removal is the ring's removeIf (a remover marks a slot's
     * stamp; receivers pass marked slots, I4-I7), the same as the channel's queue view: the
     * marked slot stays reserved until the head reaches it (I7), hence the capacity caveat. The
     * ring's notes give the algorithm, its invariants and why a stalled peer can hold up the
     * user of the same slot.
     */
    private final SlotRing ring;

    /**
     * The largest capacity, 2^24: the ring is allocated up front (about 12 bytes a slot), so a
     * larger one is refused with {@link IllegalArgumentException} rather than failing with
     * {@link OutOfMemoryError}.
     */
    public static final int MAX_CAPACITY = SlotRing.MAX_CAPACITY;

    /**
     * A queue of {@code capacity} (1 to {@link #MAX_CAPACITY}) elements.
     *
     * @throws IllegalArgumentException if {@code capacity} is out of that range
     */
    public MpmcArrayQueue(int capacity) {
        this.ring = new SlotRing(capacity);
    }

    /**
     * A queue of {@code capacity} elements holding {@code initial}'s, in its iteration order (as
     * {@code new ArrayBlockingQueue<>(capacity, false, initial)}).
     *
     * @throws IllegalArgumentException if {@code initial} has more than {@code capacity}
     *     elements, or as {@link #MpmcArrayQueue(int)}
     * @throws NullPointerException if {@code initial} or one of its elements is null
     */
    public MpmcArrayQueue(int capacity, Collection<? extends T> initial) {
        this(capacity);
        Objects.requireNonNull(initial, "initial");
        for (T e : initial) {
            if (!offer(e)) throw new IllegalArgumentException("more initial elements than the capacity " + capacity);
        }
    }

    /** Appends {@code value} (non-null) if there is room; false if full. */
    @Override
    public boolean offer(T value) {
        Objects.requireNonNull(value, "value");
        long position = ring.reserveSend();
        if (position < 0) return false;                                // FULL (never closed)
        ring.publish(position, value);
        return true;
    }

    /** Removes and returns the oldest element, or null if empty. */
    @Override
    @SuppressWarnings("unchecked")
    public T poll() {
        for (;;) {
            long position = ring.reserveRecv();
            if (position < 0) return null;                             // EMPTY (never closed)
            Object m = ring.take(position);
            if (m != null) return (T) m;                               // else removed meanwhile
        }
    }

    /** The oldest element without removing it, or null if empty (linearizable). */
    @Override
    @SuppressWarnings("unchecked")
    public T peek() {
        return (T) ring.peek();
    }

    /** Number of elements (a snapshot; may be off by removals in flight). */
    @Override
    public int size() {
        return ring.size();
    }

    /** Whether the queue is empty (linearizable: {@code peek() == null}). */
    @Override
    public boolean isEmpty() {
        return ring.peek() == null;
    }

    /** The capacity given at construction. */
    public int capacity() {
        return ring.capacity();
    }

    /** Free slots now (a snapshot); a removed element's slot counts as used until it is passed. */
    public int remainingCapacity() {
        return ring.remainingCapacity();
    }

    /** Removes the oldest element equal to {@code o}; false if none (or {@code o} is null). */
    @Override
    public boolean remove(Object o) {
        return o != null && ring.removeIf(o::equals, 1) > 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean removeIf(Predicate<? super T> filter) {
        Objects.requireNonNull(filter, "filter");
        return ring.removeIf(m -> filter.test((T) m), Integer.MAX_VALUE) > 0;
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        Objects.requireNonNull(c, "c");
        return ring.removeIf(c::contains, Integer.MAX_VALUE) > 0;
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        Objects.requireNonNull(c, "c");
        return ring.removeIf(m -> !c.contains(m), Integer.MAX_VALUE) > 0;
    }

    @Override
    public Object[] toArray() {
        return ring.snapshot().toArray();
    }

    @Override
    public <E> E[] toArray(E[] a) {
        return ring.snapshot().toArray(a);
    }

    /**
     * An iterator over a snapshot taken now, oldest first; {@code remove} removes the last
     * returned object from the queue if it is still there.
     */
    @Override
    public Iterator<T> iterator() {
        return new SnapshotIterator();
    }

    private final class SnapshotIterator implements Iterator<T> {
        private final List<Object> snapshot = ring.snapshot();
        private int next;
        private Object last;

        @Override
        public boolean hasNext() {
            return next < snapshot.size();
        }

        @Override
        @SuppressWarnings("unchecked")
        public T next() {
            if (next >= snapshot.size()) throw new NoSuchElementException();
            return (T) (last = snapshot.get(next++));
        }

        @Override
        public void remove() {
            Object element = last;
            if (element == null) throw new IllegalStateException();
            last = null;
            ring.removeIf(m -> m == element, 1);
        }
    }
}
