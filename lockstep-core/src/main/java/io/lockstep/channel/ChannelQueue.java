package io.lockstep.channel;

import io.lockstep.internal.Deadline;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The {@link BlockingQueue} view of a {@link Channel} ({@link Channel#asBlockingQueue()}).
 *
 * <p>Insertions send and removals from the head receive, with the channel's guarantees. What a
 * channel cannot do atomically is weakened the way {@link java.util.concurrent.ConcurrentLinkedQueue}
 * weakens it: {@code peek}, {@code iterator}, {@code contains}, {@code toArray} and
 * {@code toString} see a weakly consistent snapshot of the buffer, taken without waiting for any
 * other thread: it holds every element buffered throughout (so {@code contains(x)} after your own
 * {@code add(x)} is true until someone receives or removes that x), and may or may not hold
 * elements sent or received meanwhile; it is exact when no other thread is operating.
 * {@code size} is a snapshot. Timeouts saturate: {@code offer(e, Long.MAX_VALUE, DAYS)} waits
 * without limit, a zero or negative timeout does not wait. Elements can be removed from anywhere ({@code remove(Object)}, {@code removeAll},
 * {@code retainAll}, {@code removeIf}, {@code Iterator.remove}), as {@code ThreadPoolExecutor}
 * does when a queued task is cancelled: a removed element is never received, and each element
 * is either received or removed, never both. On a bounded channel an element removed from the
 * middle keeps its slot until the receivers reach it, so {@code remainingCapacity} (free slots)
 * can be less than capacity minus {@code size}; removing the oldest element frees its slot at
 * once. {@code Iterator.remove} removes the element that {@code next} returned if it is still
 * buffered (the oldest buffered occurrence of that same object), and does nothing if it was
 * received meanwhile. A closed
 * channel refuses insertions with {@link ChannelClosedException}; once it is drained, removals
 * behave as on an empty queue, except {@code take}, which throws {@link ChannelClosedException}
 * rather than wait forever.
 *
 * <p>A view that starts with elements, as {@code new ArrayBlockingQueue<>(n, false, c)} or
 * {@code new LinkedBlockingQueue<>(c)}: {@code Channel.bounded(n, c).asBlockingQueue()},
 * {@code Channel.unbounded(c).asBlockingQueue()}.
 *
 * <pre>{@code
 * Channel<Runnable> channel = Channel.bounded(256);
 * ExecutorService pool = new ThreadPoolExecutor(4, 4, 0, SECONDS, channel.asBlockingQueue());
 * }</pre>
 *
 * <p><b>Memory effects:</b> as {@link BlockingQueue}: actions before inserting an element
 * happen-before actions after its removal.
 *
 * @param <T> the element type
 */
final class ChannelQueue<T> extends AbstractQueue<T> implements BlockingQueue<T> {
    private final Channel<T> channel;

    ChannelQueue(Channel<T> channel) {
        this.channel = channel;
    }

    @Override
    public boolean offer(T e) {
        return switch (channel.trySend(e)) {
            case SendResult.Sent<T> s -> true;
            case SendResult.Closed<T> c -> throw new ChannelClosedException(e);
            default -> false;
        };
    }

    @Override
    public void put(T e) throws InterruptedException {
        channel.send(e);
    }

    @Override
    public boolean offer(T e, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(e);
        return switch (channel.sendUntil(e, Deadline.after(timeout, unit))) {
            case SendResult.Sent<T> s -> true;
            case SendResult.Closed<T> c -> throw new ChannelClosedException(e);
            default -> false;
        };
    }

    @Override
    public T take() throws InterruptedException {
        return channel.recv();
    }

    @Override
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        return channel.recvUntil(Deadline.after(timeout, unit)) instanceof RecvResult.Received<T> r
                ? r.value() : null;
    }

    @Override
    public T poll() {
        return channel.tryRecv() instanceof RecvResult.Received<T> r ? r.value() : null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T peek() {
        var snapshot = channel.flavor.snapshot();
        return snapshot.isEmpty() ? null : (T) snapshot.get(0);
    }

    @Override
    public int size() {
        return channel.size();
    }

    @Override
    public int remainingCapacity() {
        return Math.max(0, channel.flavor.remainingCapacity());
    }

    @Override
    @SuppressWarnings("unchecked")
    public Iterator<T> iterator() {
        return new SnapshotIterator<>((List<T>) (List<?>) channel.flavor.snapshot(), this);
    }

    /** Iterates a snapshot; {@code remove} removes the returned element from the channel. */
    private static final class SnapshotIterator<T> implements Iterator<T> {
        private final List<T> snapshot;
        private final ChannelQueue<T> queue;
        private int next;
        private T last;          // returned by next() and not yet removed

        SnapshotIterator(List<T> snapshot, ChannelQueue<T> queue) {
            this.snapshot = snapshot;
            this.queue = queue;
        }

        @Override
        public boolean hasNext() {
            return next < snapshot.size();
        }

        @Override
        public T next() {
            if (!hasNext()) throw new NoSuchElementException();
            return last = snapshot.get(next++);
        }

        @Override
        public void remove() {
            if (last == null) throw new IllegalStateException("next() not called, or already removed");
            T element = last;
            last = null;
            queue.channel.flavor.removeIf(m -> m == element, 1);
        }
    }

    @Override
    public Object[] toArray() {
        return channel.flavor.snapshot().toArray();
    }

    @Override
    public <A> A[] toArray(A[] a) {
        return channel.flavor.snapshot().toArray(a);
    }

    @Override
    public boolean contains(Object o) {
        return o != null && channel.flavor.snapshot().contains(o);
    }

    @Override
    public boolean remove(Object o) {
        return o != null && channel.flavor.removeIf(o::equals, 1) == 1;
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        Objects.requireNonNull(c);
        return channel.flavor.removeIf(c::contains, Integer.MAX_VALUE) > 0;
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        Objects.requireNonNull(c);
        return channel.flavor.removeIf(m -> !c.contains(m), Integer.MAX_VALUE) > 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean removeIf(Predicate<? super T> filter) {
        Objects.requireNonNull(filter);
        return channel.flavor.removeIf(m -> filter.test((T) m), Integer.MAX_VALUE) > 0;
    }

    @Override
    public void clear() {
        while (poll() != null) {
            // drain
        }
    }

    @Override
    public int drainTo(Collection<? super T> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super T> c, int maxElements) {
        Objects.requireNonNull(c);
        if (c == this) throw new IllegalArgumentException("cannot drain a queue into itself");
        int n = 0;
        for (T e; n < maxElements && (e = poll()) != null; n++) c.add(e);
        return n;
    }
}
