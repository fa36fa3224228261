package io.lockstep.channel.flavors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounded flavor: a fixed ring of slots, each with a stamp, after Dmitry Vyukov's bounded
 * MPMC queue as crossbeam-channel's {@code array.rs} adapts it (close bit in {@code tail},
 * two-phase reservation).
 *
 * @param <T> the message type
 */
public final class ArrayFlavor<T> extends Indices<T> {
    /*
     * Implementation notes.
     *
     * Based on: Vyukov, "Bounded MPMC queue" (1024cores.net), via crossbeam-channel's array.rs.
     * Differences: stamps and messages in two parallel arrays instead of an array of slot
     * structs; the garbage collector frees messages, so read nulls the slot and nothing else.
     *
     * State: head and tail are { lap, mark, index } packed as lap * oneLap + mark + index, where
     *   markBit = the smallest power of two > capacity (index < markBit) and oneLap = 2 * markBit;
     *   the mark is set once in tail, by close. Each slot's stamp says whose turn it is:
     *     stamp == tail                  the slot is free for the sender at tail
     *     stamp == head + 1              the slot holds the message for the receiver at head
     *   A sender that reserves slot {lap, i} by advancing tail publishes stamp {lap, i} + 1 after
     *   writing; a receiver that reserves it by advancing head publishes {lap + 1, i}.
     * Invariants:
     *   I1  head <= tail & ~markBit <= head + oneLap (in lap order): 0..capacity messages.
     *   I2  markBit, once set in tail, stays set; a sender reserving after it sees it and fails.
     *   I3  A slot's message is written only by the sender holding its reservation, read and
     *       cleared only by the receiver holding its reservation; the stamp orders the two.
     * Memory ordering: head/tail are volatile (CAS). The message is a plain store made visible by
     *   the release store of the stamp; the receiver's acquire load of the stamp makes it
     *   visible (happens-before from send to recv). Stamps of free slots are released the same
     *   way, so a sender never overwrites a message still being read.
     * Close: getAndBitwiseOr on tail (I2): every sender after it fails; receivers drain up to the
     *   tail index and then see head == tail with the bit set: closed.
     * Progress: lock-free reservation. Between a reservation and its stamp publication another
     *   thread may see a slot "in use" and retry with back-off (crossbeam's snooze); that window
     *   is a few instructions long.
     */
    private static final VarHandle STAMPS = MethodHandles.arrayElementVarHandle(long[].class);

    private final int capacity;
    private final long oneLap;
    private final long markBit;
    private final long[] stamps;
    private final Object[] messages;     // I3
    private final SyncWaker senders = new SyncWaker();
    private final SyncWaker receivers = new SyncWaker();

    /** A bounded buffer of {@code capacity} (at least 1) messages. */
    public ArrayFlavor(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        this.capacity = capacity;
        this.markBit = Long.highestOneBit(capacity) << 1;       // the smallest power of two > capacity
        this.oneLap = markBit << 1;
        this.stamps = new long[capacity];
        this.messages = new Object[capacity];
        for (int i = 0; i < capacity; i++) stamps[i] = i;      // {lap 0, index i}: free for lap 0
        VarHandle.releaseFence();
    }

    private long laStamp(int i) {
        return (long) STAMPS.getAcquire(stamps, i);
    }

    private void soStamp(int i, long v) {
        STAMPS.setRelease(stamps, i, v);
    }

    /** The position after {@code position}: the next slot, or slot 0 of the next lap. */
    private long next(long position) {
        long index = position & (markBit - 1);
        return index + 1 < capacity ? position + 1 : (position & ~(oneLap - 1)) + oneLap;
    }

    @Override
    public boolean startSend(Token token) {
        long tail = lvTail();
        for (int spins = 0; ; spins++) {
            if ((tail & markBit) != 0) {                            // closed (I2)
                token.reserveClosed();
                return true;
            }
            int index = (int) (tail & (markBit - 1));
            long stamp = laStamp(index);
            if (stamp == tail) {                                    // free for this lap
                if (casTail(tail, next(tail))) {
                    token.reserve(index, tail + 1, null);
                    return true;
                }
            } else if (stamp + oneLap == tail + 1) {                // still holds last lap's message
                if (lvHead() + oneLap == tail) return false;         // full (I1)
            }
            backOff(spins);                                         // another operation in flight
            tail = lvTail();
        }
    }

    @Override
    public boolean write(Token token, T message) {
        if (token.closed) return false;
        messages[token.index] = message;
        soStamp(token.index, token.stamp);                          // publish: keeps I3
        receivers.notifyOne();
        return true;
    }

    @Override
    public boolean startRecv(Token token) {
        long head = lvHead();
        for (int spins = 0; ; spins++) {
            int index = (int) (head & (markBit - 1));
            long stamp = laStamp(index);
            if (stamp == head + 1) {                                // holds this lap's message
                if (casHead(head, next(head))) {
                    token.reserve(index, head + oneLap, null);
                    return true;
                }
            } else if (stamp == head) {                             // not written yet
                long tail = lvTail();
                if ((tail & ~markBit) == head) {                    // empty
                    if ((tail & markBit) == 0) return false;
                    token.reserveClosed();                          // closed and drained
                    return true;
                }
            }
            backOff(spins);
            head = lvHead();
        }
    }

    @Override
    public Object read(Token token) {
        if (token.closed) return Outcome.CLOSED;
        Object message = messages[token.index];
        messages[token.index] = null;
        soStamp(token.index, token.stamp);                          // free for the next lap (I3)
        senders.notifyOne();
        return message;
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
        long tail = lvTail(), head = lvHead();
        if ((tail & markBit) != 0) return true;
        return send ? head + oneLap != tail : head != tail;
    }

    @Override
    public boolean close() {
        if ((orTail(markBit) & markBit) != 0) return false;
        senders.disconnect();
        receivers.disconnect();
        return true;
    }

    @Override
    public boolean isClosed() {
        return (lvTail() & markBit) != 0;
    }

    @Override
    public int size() {
        for (;;) {
            long tail = lvTail(), head = lvHead();
            if (lvTail() != tail) continue;                         // a consistent pair
            int hix = (int) (head & (markBit - 1)), tix = (int) (tail & (markBit - 1));
            if (hix < tix) return tix - hix;
            if (hix > tix) return capacity - hix + tix;
            return (tail & ~markBit) == head ? 0 : capacity;
        }
    }

    @Override
    public List<Object> snapshot() {
        List<Object> out = new ArrayList<>();
        long head = lvHead(), tail = lvTail() & ~markBit;
        for (long pos = head; pos != tail && out.size() < capacity; pos = next(pos)) {
            int index = (int) (pos & (markBit - 1));
            Object m = messages[index];
            if (laStamp(index) != pos + 1 || m == null) break;     // taken or not yet written
            out.add(m);
        }
        return out;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int registrations() {
        return senders.size() + receivers.size();
    }
}
