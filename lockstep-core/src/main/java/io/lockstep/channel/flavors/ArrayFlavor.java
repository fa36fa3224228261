package io.lockstep.channel.flavors;

import io.lockstep.channel.waiting.Context;
import io.lockstep.channel.waiting.Operation;
import io.lockstep.channel.waiting.SyncWaker;
import io.lockstep.lockfree.ring.SlotRing;
import java.util.List;
import java.util.function.Predicate;

/**
 * The bounded flavor: the lock-free layer's {@link SlotRing} (Vyukov's bounded MPMC ring with
 * close and two-phase reservation, as crossbeam-channel's {@code array.rs}) plus a waker on
 * each side.
 *
 * @param <T> the message type
 */
public final class ArrayFlavor<T> extends Flavor<T> {
    /*
     * Implementation notes.
     * The ring holds the whole algorithm and its invariants (see SlotRing); this class maps its
     * reservations onto tokens (token.position = the reserved position) and wakes the other side:
     * a publish wakes a receiver, a freed slot (SlotRing.slotFreed) a sender. A reservation that
     * finds the message removed meanwhile (the queue view's interior removal) reserves again.
     */
    private final SyncWaker senders = new SyncWaker();
    private final SyncWaker receivers = new SyncWaker();
    private final SlotRing ring;

    /** A bounded buffer of {@code capacity} (at least 1) messages. */
    public ArrayFlavor(int capacity) {
        this.ring = new SlotRing(capacity) {
            @Override
            protected void slotFreed() {
                senders.notifyOne();
            }
        };
    }

    /** Records {@code position} (a position, or CLOSED) in {@code token}; false if FULL/EMPTY. */
    private static boolean reserve(Token token, long position) {
        if (position == SlotRing.CLOSED) {
            token.reserveClosed();
        } else if (position < 0) {
            return false;
        } else {
            token.reserve(0, position, null);
        }
        return true;
    }

    @Override
    public boolean startSend(Token token) {
        return reserve(token, ring.reserveSend());
    }

    @Override
    public boolean write(Token token, T message) {
        if (token.closed) return false;
        publish(token.position, message);
        return true;
    }

    @Override
    public Outcome trySend(T message) {                             // no Token: nothing allocated
        long position = ring.reserveSend();
        if (position == SlotRing.FULL) return Outcome.FULL;
        if (position == SlotRing.CLOSED) return Outcome.CLOSED;
        publish(position, message);
        return Outcome.SENT;
    }

    private void publish(long position, T message) {
        ring.publish(position, message);
        receivers.notifyOne();
    }

    @Override
    public boolean startRecv(Token token) {
        return reserve(token, ring.reserveRecv());
    }

    @Override
    public Object read(Token token) {
        return take(token.closed ? SlotRing.CLOSED : token.position);
    }

    @Override
    public Object tryRecv() {                                       // no Token: nothing allocated
        return take(ring.reserveRecv());
    }

    /** The message at a reserved {@code position} (or the next, if it was removed), EMPTY or CLOSED. */
    private Object take(long position) {
        for (;;) {
            if (position == SlotRing.CLOSED) return Outcome.CLOSED;
            if (position == SlotRing.EMPTY) return Outcome.EMPTY;
            Object message = ring.take(position);
            if (message != null) return message;
            position = ring.reserveRecv();                          // it was removed: the next one
        }
    }

    @Override
    public int removeIf(Predicate<Object> filter, int limit) {
        return ring.removeIf(filter, limit);
    }

    @Override
    public void register(boolean send, Operation operation, Context context) {
        (send ? senders : receivers).register(operation, context);
    }

    @Override
    public void unregister(boolean send, Operation operation) {
        (send ? senders : receivers).unregister(operation);
    }

    @Override
    public boolean isReady(boolean send) {
        return send ? ring.canSend() : ring.canRecv();
    }

    @Override
    public boolean close() {
        if (!ring.close()) return false;
        senders.disconnect();
        receivers.disconnect();
        return true;
    }

    @Override
    public boolean isClosed() {
        return ring.isClosed();
    }

    @Override
    public int size() {
        return ring.size();
    }

    @Override
    public int remainingCapacity() {
        return ring.remainingCapacity();
    }

    @Override
    public List<Object> snapshot() {
        return ring.snapshot();
    }

    @Override
    public int capacity() {
        return ring.capacity();
    }

    @Override
    public int registrations() {
        return senders.size() + receivers.size();
    }
}
