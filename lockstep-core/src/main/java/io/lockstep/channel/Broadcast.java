package io.lockstep.channel;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.Names;
import io.lockstep.internal.WaitOutcome;
import io.lockstep.lock.RawMutex;
import io.lockstep.park.gate.Gate;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A multi-producer channel in which every subscriber sees every message, in send order (tokio's
 * {@code broadcast}). Messages live in a ring of fixed capacity; a send never waits, and when
 * the ring is full it overwrites the oldest message. A subscriber that falls more than
 * {@code capacity} messages behind learns how many it missed ({@link BroadcastResult.Lagged})
 * and continues with the oldest message still buffered.
 *
 * <pre>{@code
 * Broadcast<Price> prices = new Broadcast<>(1024);
 * Broadcast.Subscriber<Price> chart = prices.subscribe();     // sees what is sent from now on
 * Broadcast.Subscriber<Price> alerts = prices.subscribe();
 * prices.trySend(price);                                       // both will receive it
 * prices.close();                                              // they drain, then see Closed
 * for (BroadcastResult<Price> r; !((r = chart.recv()) instanceof BroadcastResult.Closed); ) {
 *     if (r instanceof BroadcastResult.Received<Price> p) draw(p.value());
 * }
 * }</pre>
 *
 * <p>Close works as for {@link Channel}: afterwards sends fail and hand the message back, each
 * subscriber still receives what was sent before the close, then {@link BroadcastResult.Closed},
 * and every waiting subscriber wakes. Messages are never null. The ring keeps the last
 * {@code capacity} messages reachable until they are overwritten, read or not.
 *
 * <p><b>Memory effects:</b> actions in a thread before a {@link #trySend} happen-before the actions
 * after a receive that returns that message, in every subscriber. Actions before
 * {@link #close()} happen-before a receive that reports {@link BroadcastResult.Closed}.
 *
 * @param <T> the message type
 */
public final class Broadcast<T> {
    /*
     * Implementation notes.
     *
     * Based on: tokio's broadcast (a ring of slots stamped with their position, a tail under a
     * mutex, receivers that each keep their own position). Differences: a slot holds an
     * immutable Entry{pos, value} replaced on every send instead of a per-slot RwLock, so a
     * reader never blocks a writer and never sees a torn slot; the ring does not count readers
     * per slot, so values are released only when overwritten; waiting is one Gate
     * (every send wakes every waiter) instead of a waiter list.
     *
     * State: tail   the position of the next send (messages 0..tail-1 were sent); volatile,
     *               written only under sendLock
     *        closed written only under sendLock, after the last tail write
     *        ring[p % capacity] = Entry{p, value} for the newest p < tail with that index
     *        Subscriber.pos  the next position it will read (pos <= tail), owner-only
     * Invariants:
     *   I1  tail increases by one per send, after ring[tail % capacity] holds the new entry.
     *   I2  Once closed is set, tail never changes.
     *   I3  For a position p < tail, ring[p % capacity].pos >= p (slots only move forward), and
     *       == p exactly while p >= tail - capacity.
     * Receive: read closed, then tail (both volatile; by I2 a closed read first makes that tail
     *   final). pos == tail: Empty (or Closed). tail - pos > capacity: jump to tail - capacity
     *   and report Lagged(the difference). Otherwise read the entry: pos matches (I3: the tail
     *   read made its write visible) -> the message; a newer pos -> overwritten meanwhile, go
     *   round and report the lag with a fresh tail.
     * Memory ordering: the entry is stored before the volatile tail store (under the lock); a
     *   reader that read the new tail sees the entry; entries are immutable records, so one read
     *   racily (an overwrite) is still whole.
     * Progress: sends are blocking (a RawMutex, a few stores inside); receives are lock-free.
     * Tried and rejected: senders claiming positions with getAndIncrement on tail. A stalled
     *   sender then leaves a hole that later subscribers must wait on or skip, and close must
     *   wait for in-flight sends; one short lock keeps the positions gap-free.
     */
    private record Entry(long pos, Object value) {}

    private final AtomicReferenceArray<Entry> ring;
    private final int capacity;
    private final RawMutex sendLock = new RawMutex();
    private volatile long tail;                 // I1; written under sendLock
    private volatile boolean closed;            // I2; written under sendLock
    final Gate signal = new Gate();

    /**
     * A broadcast that keeps the last {@code capacity} messages for slow subscribers.
     *
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public Broadcast(int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        this.capacity = capacity;
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    /** A subscriber that receives every message sent after this call. */
    public Subscriber<T> subscribe() {
        return new Subscriber<>(this, tail);
    }

    /**
     * Sends {@code message} to every subscriber. Never waits: a full ring drops its oldest
     * message, which subscribers that have not read it yet will report as lagged.
     *
     * @return {@link SendResult.Sent}, or {@link SendResult.Closed} holding the message
     */
    public SendResult<T> trySend(T message) {
        Objects.requireNonNull(message, "message");
        sendLock.lock();
        try {
            if (closed) return new SendResult.Closed<>(message);
            long t = tail;
            ring.set((int) (t % capacity), new Entry(t, message));
            tail = t + 1;                                       // keeps I1
        } finally {
            sendLock.unlock();
        }
        signal.wakeAll();
        return new SendResult.Sent<>();
    }

    /** Closes the broadcast; true if this call did. Subscribers drain, then see Closed. */
    public boolean close() {
        sendLock.lock();
        try {
            if (closed) return false;
            closed = true;                                      // I2
        } finally {
            sendLock.unlock();
        }
        signal.wakeAll();
        return true;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** How many messages the ring keeps. */
    public int capacity() {
        return capacity;
    }

    /** How many messages were sent so far (a snapshot). */
    public long sent() {
        return tail;
    }

    /**
     * Names this broadcast for reports: {@code toString()} and the diagnostics that print it. Returns
     * this broadcast, so a field can be named where it is created:
     * {@code private final Broadcast<Event> events = new Broadcast<Event>(64).named("events");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this broadcast already has another name
     */
    public Broadcast<T> named(String name) {
        return Names.name(this, name);
    }

    /** This broadcast's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }

    @Override
    public String toString() {
        return Names.label(this) + "[capacity=" + capacity + ", sent=" + tail + (closed ? ", closed]" : "]");
    }

    /**
     * One subscriber's position in a {@link Broadcast}. A subscriber belongs to one thread at a
     * time (hand it over through something that orders, such as a channel); different
     * subscribers of one broadcast may be used concurrently.
     *
     * <p><b>Memory effects:</b> those of {@link Broadcast}.
     *
     * @param <T> the message type
     */
    public static final class Subscriber<T> {
        private final Broadcast<T> owner;
        private long pos;                                       // owner thread only; pos <= tail

        Subscriber(Broadcast<T> owner, long pos) {
            this.owner = owner;
            this.pos = pos;
        }

        /** Receives without waiting: Received, Lagged, Empty or Closed. */
        @SuppressWarnings("unchecked")
        public BroadcastResult<T> tryRecv() {
            Broadcast<T> b = owner;
            for (;;) {
                boolean closed = b.closed;                      // before tail: then tail is final (I2)
                long t = b.tail;
                if (pos >= t) return closed ? new BroadcastResult.Closed<>() : new BroadcastResult.Empty<>();
                if (t - pos > b.capacity) {                     // overwritten: jump to the oldest kept
                    long missed = t - b.capacity - pos;
                    pos = t - b.capacity;
                    return new BroadcastResult.Lagged<>(missed);
                }
                Entry e = b.ring.get((int) (pos % b.capacity));
                if (e.pos == pos) {                             // I3
                    pos++;
                    return new BroadcastResult.Received<>((T) e.value);
                }
                assert e.pos > pos : "slots only move forward (I3)";
                // overwritten after we read tail: go round, the fresh tail reports the lag
            }
        }

        /**
         * Waits for the next message: Received, Lagged or Closed.
         *
         * @throws InterruptedException if interrupted while waiting; nothing was received
         */
        public BroadcastResult<T> recv() throws InterruptedException {
            if (Thread.interrupted()) throw new InterruptedException();
            return recvUntil(Deadline.NONE);
        }

        /**
         * Waits at most {@code timeout} (zero or negative: do not wait): Received, Lagged,
         * TimedOut or Closed.
         *
         * @throws InterruptedException if interrupted while waiting; nothing was received
         */
        public BroadcastResult<T> recv(Duration timeout) throws InterruptedException {
            long deadline = Deadline.after(timeout);
            if (Thread.interrupted()) throw new InterruptedException();
            return recvUntil(deadline);
        }

        private BroadcastResult<T> recvUntil(long deadline) throws InterruptedException {
            Broadcast<T> b = owner;
            for (;;) {
                BroadcastResult<T> r = tryRecv();
                if (!(r instanceof BroadcastResult.Empty)) return r;
                long seen = pos;
                int w = b.signal.await(() -> b.tail != seen || b.closed, deadline, true);
                if (w == WaitOutcome.INTERRUPTED) throw new InterruptedException();
                if (w == WaitOutcome.TIMED_OUT) {
                    r = tryRecv();                              // one last look after the deadline
                    return r instanceof BroadcastResult.Empty ? new BroadcastResult.TimedOut<>() : r;
                }
            }
        }

        /** Messages waiting for this subscriber now, at most the capacity (a snapshot). */
        public int pending() {
            return (int) Math.min(owner.tail - pos, owner.capacity);
        }

        /** A new subscriber of the same broadcast that starts where this one is now. */
        public Subscriber<T> copy() {
            return new Subscriber<>(owner, pos);
        }

        @Override
        public String toString() {
            return "Broadcast.Subscriber[pos=" + pos + ", pending=" + pending() + "]";
        }
    }
}
