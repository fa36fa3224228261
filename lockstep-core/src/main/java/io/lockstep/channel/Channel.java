package io.lockstep.channel;

import io.lockstep.channel.flavors.ArrayFlavor;
import io.lockstep.channel.flavors.Flavor;
import io.lockstep.channel.flavors.ListFlavor;
import io.lockstep.channel.flavors.Outcome;
import io.lockstep.channel.flavors.ZeroFlavor;
import io.lockstep.internal.Deadline;
import io.lockstep.internal.Names;
import io.lockstep.lockfree.ring.SlotRing;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A multi-producer, multi-consumer channel that can be closed and selected over, in three
 * flavors: {@link #bounded bounded} (a ring buffer), {@link #unbounded unbounded} (linked
 * blocks) and {@link #rendezvous rendezvous} (capacity 0: a send waits for a receive).
 *
 * <p>What {@link java.util.concurrent.BlockingQueue} lacks: {@link #close()} (buffered messages
 * still drain, then receivers learn the channel is closed, and every waiter wakes), failures
 * that hand the message back ({@link SendResult}), {@link Select} over several channels,
 * cancel-safe {@link #recvAsync()}/{@link #sendAsync}, {@link #sender()}/{@link #receiver()}
 * views, and counted handles that close the channel when the last sender (or receiver) lets go
 * ({@link #split()}, crossbeam's disconnection). {@link #asBlockingQueue()} still gives you a
 * {@code BlockingQueue} when an API wants one.
 *
 * <pre>{@code
 * // Before: a queue and a poison pill
 * BlockingQueue<Object> queue = new ArrayBlockingQueue<>(100);
 * queue.put(work); ... queue.put(POISON);                  // one pill per consumer, hopefully
 * for (Object o; (o = queue.take()) != POISON; ) handle((Work) o);
 *
 * // After: close ends every consumer's loop once the buffer is drained
 * Channel<Work> channel = Channel.bounded(100);
 * channel.send(work); ... channel.close();
 * for (Work w : channel) handle(w);
 * }</pre>
 *
 * <p>Null messages are rejected with {@link NullPointerException}. All operations are
 * virtual-thread friendly: waiting parks through {@link java.util.concurrent.locks.LockSupport}
 * (and a side's waker list is guarded by a parking-lot mutex), never inside {@code synchronized}.
 *
 * <p><b>Memory effects:</b> actions in a thread before a successful send happen-before the
 * actions after the receive that returns that message, in whichever thread. Actions before
 * {@link #close()} happen-before a receive or send that reports the channel closed.
 *
 * @param <T> the message type
 */
public final class Channel<T> implements Sender<T>, Receiver<T> {
    /*
     * Implementation notes.
     *
     * Based on: crossbeam-channel's layout (channel.rs over flavors/), adapted: one Channel class
     * owns a Flavor; sender() and receiver() are views of it (the same object under a narrower
     * type), closed explicitly. Java has no drop to count, so crossbeam's disconnection is opt-in:
     * split() hands out SenderHandle/ReceiverHandle objects, counted in a Connections, whose last
     * close() on either side is this channel's close() (see Connections).
     * The flavors and the waiting machinery live in the unexported io.lockstep.channel.flavors.
     * Go's close is the model for semantics: close by a sender, drain, then closed.
     * Tried and rejected: one algorithm for every capacity (jox). Each flavor wins at its own
     * capacity (ChannelBench), and select is generic over the two-phase Flavor hooks anyway.
     */
    private static final SendResult<?> SENT = new SendResult.Sent<>();
    private static final RecvResult<?> EMPTY = new RecvResult.Empty<>();
    private static final RecvResult<?> TIMED_OUT = new RecvResult.TimedOut<>();
    private static final RecvResult<?> CLOSED = new RecvResult.Closed<>();

    /**
     * The largest capacity of a {@link #bounded} channel, 2^24: its ring is allocated up front
     * (about 12 bytes a slot), so a larger one is refused with {@link IllegalArgumentException}
     * rather than failing with {@link OutOfMemoryError}. For more, use {@link #unbounded()}.
     */
    public static final int MAX_CAPACITY = SlotRing.MAX_CAPACITY;

    private static final VarHandle CONNECTIONS;

    static {
        try {
            CONNECTIONS = MethodHandles.lookup().findVarHandle(Channel.class, "connections", Connections.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Flavor<T> flavor;
    /** The handle counts once {@link #split()} ran; null before. */
    private volatile Connections connections;

    Channel(Flavor<T> flavor) {
        this.flavor = flavor;
        flavor.owner(this);                            // the waiters' park blocker
    }

    /**
     * A channel that buffers up to {@code capacity} messages (at most {@link #MAX_CAPACITY});
     * 0 makes a rendezvous channel.
     *
     * @throws IllegalArgumentException if {@code capacity} is negative or above {@link #MAX_CAPACITY}
     */
    public static <T> Channel<T> bounded(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        return new Channel<>(capacity == 0 ? new ZeroFlavor<>() : new ArrayFlavor<>(capacity));
    }

    /**
     * A bounded channel that starts with {@code initial}'s elements buffered, in its iteration
     * order (as {@code new ArrayBlockingQueue<>(capacity, fair, initial)}).
     *
     * @throws IllegalArgumentException if {@code initial} has more than {@code capacity} elements,
     *     or as {@link #bounded(int)}
     * @throws NullPointerException if {@code initial} or one of its elements is null
     */
    public static <T> Channel<T> bounded(int capacity, Collection<? extends T> initial) {
        return fill(bounded(capacity), initial);
    }

    /** A channel with no limit on buffered messages: sends never wait. */
    public static <T> Channel<T> unbounded() {
        return new Channel<>(new ListFlavor<>());
    }

    /**
     * An unbounded channel that starts with {@code initial}'s elements buffered, in its
     * iteration order (as {@code new LinkedBlockingQueue<>(initial)}).
     *
     * @throws NullPointerException if {@code initial} or one of its elements is null
     */
    public static <T> Channel<T> unbounded(Collection<? extends T> initial) {
        return fill(unbounded(), initial);
    }

    /** Sends {@code initial} into a new, unshared channel. */
    private static <T> Channel<T> fill(Channel<T> channel, Collection<? extends T> initial) {
        Objects.requireNonNull(initial, "initial");
        for (T m : initial) {
            if (!(channel.trySend(m) instanceof SendResult.Sent<T>)) {
                throw new IllegalArgumentException("more initial elements than the capacity " + channel.capacity());
            }
        }
        return channel;
    }

    /** A channel with no buffer: each send waits for a receive to take its message. */
    public static <T> Channel<T> rendezvous() {
        return new Channel<>(new ZeroFlavor<>());
    }

    /** This channel, typed as its sending side. */
    public Sender<T> sender() {
        return this;
    }

    /** This channel, typed as its receiving side. */
    public Receiver<T> receiver() {
        return this;
    }

    /**
     * Counted handles over this channel, crossbeam-style: one {@link SenderHandle} and one
     * {@link ReceiverHandle}, each cloned for more producers or consumers and closed when done.
     * Closing the last sender handle closes the channel (receivers drain what is buffered, then
     * see it closed); closing the last receiver handle closes it too (sends fail, handing the
     * message back, and waiting senders wake). This channel itself is not counted: it stays
     * usable, and {@link #close()} still closes it for everyone, so keep it only if you mean to.
     *
     * <pre>{@code
     * ChannelPair<Job> jobs = Channel.<Job>bounded(64).named("jobs").split();
     * }</pre>
     *
     * @throws IllegalStateException if this channel was split before (a second set of counts
     *     would close it while the first set's handles are still open)
     */
    public ChannelPair<T> split() {
        Connections c = new Connections(this);
        if (!CONNECTIONS.compareAndSet(this, (Connections) null, c)) {
            throw new IllegalStateException("channel already split: clone its handles instead");
        }
        return new ChannelPair<>(new SenderHandle<>(this, new Handle(c, true)),
                new ReceiverHandle<>(this, new Handle(c, false)));
    }

    // ---------------------------------------------------------------- send

    @Override
    public void send(T message) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        if (Thread.interrupted()) throw new InterruptedException();
        Outcome o = flavor.send(message, Deadline.NONE, true);
        if (o == Outcome.INTERRUPTED) throw new InterruptedException();
        if (o == Outcome.CLOSED) throw new ChannelClosedException(message);
    }

    @Override
    public SendResult<T> trySend(T message) {
        Objects.requireNonNull(message, "message");
        return sendResult(flavor.trySend(message), message);
    }

    @Override
    public SendResult<T> send(T message, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        return sendUntil(message, Deadline.after(timeout));
    }

    /** {@link #send(Object, Duration)} with the timeout already a {@link Deadline}. */
    SendResult<T> sendUntil(T message, long deadline) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        if (Thread.interrupted()) throw new InterruptedException();
        Outcome o = flavor.send(message, deadline, true);
        if (o == Outcome.INTERRUPTED) throw new InterruptedException();
        return sendResult(o, message);
    }

    @SuppressWarnings("unchecked")
    private SendResult<T> sendResult(Outcome o, T message) {
        return switch (o) {
            case SENT -> (SendResult<T>) SENT;
            case FULL -> new SendResult.Full<>(message);
            case TIMED_OUT -> new SendResult.TimedOut<>(message);
            default -> new SendResult.Closed<>(message);
        };
    }

    @Override
    public CompletableFuture<Void> sendAsync(T message) {
        Objects.requireNonNull(message, "message");
        return switch (flavor.trySend(message)) {
            case SENT -> CompletableFuture.completedFuture(null);
            case CLOSED -> CompletableFuture.failedFuture(new ChannelClosedException(message));
            default -> AsyncOp.start(flavor, true, message);
        };
    }

    // ---------------------------------------------------------------- receive

    @Override
    @SuppressWarnings("unchecked")
    public T recv() throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        Object m = flavor.recv(Deadline.NONE, true);
        if (m == Outcome.INTERRUPTED) throw new InterruptedException();
        if (m == Outcome.CLOSED) throw new ChannelClosedException(null);
        return (T) m;
    }

    @Override
    public RecvResult<T> tryRecv() {
        return recvResult(flavor.tryRecv());
    }

    @Override
    public RecvResult<T> recv(Duration timeout) throws InterruptedException {
        return recvUntil(Deadline.after(timeout));
    }

    /** {@link #recv(Duration)} with the timeout already a {@link Deadline}. */
    RecvResult<T> recvUntil(long deadline) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        Object m = flavor.recv(deadline, true);
        if (m == Outcome.INTERRUPTED) throw new InterruptedException();
        return recvResult(m);
    }

    @SuppressWarnings("unchecked")
    private RecvResult<T> recvResult(Object m) {
        if (m == Outcome.EMPTY) return (RecvResult<T>) EMPTY;
        if (m == Outcome.TIMED_OUT) return (RecvResult<T>) TIMED_OUT;
        if (m == Outcome.CLOSED) return (RecvResult<T>) CLOSED;
        return new RecvResult.Received<>((T) m);
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<T> recvAsync() {
        Object m = flavor.tryRecv();
        if (m == Outcome.EMPTY) return AsyncOp.start(flavor, false, null);
        if (m == Outcome.CLOSED) return CompletableFuture.failedFuture(new ChannelClosedException(null));
        return CompletableFuture.completedFuture((T) m);
    }

    // ---------------------------------------------------------------- state

    @Override
    public boolean close() {
        return flavor.close();
    }

    @Override
    public boolean isClosed() {
        return flavor.isClosed();
    }

    @Override
    public int size() {
        return flavor.size();
    }

    /** The buffer's capacity: 0 for a rendezvous, {@link Integer#MAX_VALUE} when unbounded. */
    public int capacity() {
        return flavor.capacity();
    }

    /** Whether the buffer is full now (a snapshot; a rendezvous is always full). */
    public boolean isFull() {
        return size() >= capacity();
    }

    /**
     * A {@link BlockingQueue} view of this channel: {@code put}/{@code offer} send,
     * {@code take}/{@code poll} receive, and the rest of the contract is honoured (see
     * {@link ChannelQueue}). A closed channel refuses insertions with
     * {@link ChannelClosedException}.
     */
    public BlockingQueue<T> asBlockingQueue() {
        return new ChannelQueue<>(this);
    }

    @Override
    public Iterator<T> iterator() {
        return iterator(null);
    }

    /** The receiving iterator; if {@code handle} is not null, each {@code hasNext} checks it is open. */
    Iterator<T> iterator(Handle handle) {
        return new Iterator<>() {
            private Object next;          // a received message not yet returned, or null

            @Override
            public boolean hasNext() {
                if (next != null) return true;
                if (handle != null) handle.checkOpen();
                Object m = flavor.recv(Deadline.NONE, true);
                if (m == Outcome.INTERRUPTED) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted while receiving");
                }
                if (m == Outcome.CLOSED) return false;
                next = m;
                return true;
            }

            @Override
            @SuppressWarnings("unchecked")
            public T next() {
                if (!hasNext()) throw new NoSuchElementException("channel closed");
                T m = (T) next;
                next = null;
                return m;
            }
        };
    }

    @Override
    public Stream<T> stream() {
        return stream(iterator());
    }

    /** A sequential stream over a receiving iterator. */
    static <T> Stream<T> stream(Iterator<T> receiving) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(receiving,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Registrations present (for tests: an abandoned wait must leave none). */
    int registrations() {
        return flavor.registrations();
    }

    @Override
    public String toString() {
        int capacity = capacity();
        Connections c = connections;
        return Names.label(this) + "[" + flavor.getClass().getSimpleName().replace("Flavor", "").toLowerCase()
                + ", size=" + size() + (capacity == Integer.MAX_VALUE ? "" : ", capacity=" + capacity)
                + (c == null ? "" : ", senders=" + c.count(true) + ", receivers=" + c.count(false))
                + (isClosed() ? ", closed]" : "]");
    }

    /**
     * Names this channel for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * channel, so a field can be named where it is created:
     * {@code private final Channel<Job> jobs = Channel.<Job>bounded(64).named("jobs");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this channel already has another name
     */
    public Channel<T> named(String name) {
        return Names.name(this, name);
    }

    /** This channel's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
