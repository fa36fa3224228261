package io.lockstep.channel.flavors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

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
     *
     * Interior removal (removeIf, for the queue view): a remover marks a published slot removed
     *   by CASing its stamp from {lap, i} + 1 to the same value with REMOVED_BIT. Stamps never
     *   repeat, so the CAS cannot hit a later lap's message (a CAS on the message could: the
     *   same object may be sent again into the same slot). Receivers and senders treat a
     *   removed stamp as "holds a message" that nobody gets: startRecv passes it (reserves and
     *   frees it), a sender sees the slot as occupied.
     *   A receiver must not take a message a remover takes too, yet the receive path should
     *   stay a load and a release store. So:
     *   I4  A remover increments `removers` and only then reads head; it touches only positions
     *       at or after that head. A receiver reads `removers` after its head CAS; if it is zero
     *       and the stamp is still unmarked, it frees the slot with a plain release store, else
     *       it frees it with a CAS from the unmarked stamp, and a failed CAS means a remover won.
     *   Both orders are volatile (sequentially consistent), so either the receiver sees the
     *   remover and both CAS the stamp (exactly one wins), or the remover sees the receiver's
     *   head and leaves the slot alone. A remover that finished before the receiver read
     *   `removers` = 0 marked the stamp before its decrement, so the receiver's re-read sees it.
     *   I5  A remover waits for a slot reserved by a sender but not yet written, as a receiver
     *       does: skipping it would let remove(x) miss an x whose send completed before a later
     *       send that the remover did see (not linearizable).
     *   I6  A remover scans up to the tail as it is when it gets there, not as it was when it
     *       started (as ConcurrentLinkedQueue follows next to the end): an element sent after
     *       the scan began may be the only match left once older ones are received.
     *   I7  A removed slot at the head is passed at once: by the remover after its CAS, and by a
     *       receiver after each read while `removed` != 0 (whichever of the two comes second sees
     *       the other: the remover's increment precedes its head read, the receiver's head CAS
     *       precedes its read of `removed`). A sender that finds the ring full looks at the
     *       head's stamp and helps too, in case it runs between a remover's CAS and its pass
     *       (before `removed` counts the slot). So a removed slot
     *       holds capacity only while older messages are still buffered in front of it; the
     *       queue view documents that.
     *   `removed` counts removed slots not yet passed (size() excludes them).
     */
    private static final VarHandle STAMPS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Marks a stamp whose message was removed (above every position a ring reaches). */
    private static final long REMOVED_BIT = 1L << 62;
    private static final VarHandle REMOVERS, REMOVED_COUNT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            REMOVERS = l.findVarHandle(ArrayFlavor.class, "removers", int.class);
            REMOVED_COUNT = l.findVarHandle(ArrayFlavor.class, "removed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private final long oneLap;
    private final long markBit;
    private final long[] stamps;
    private final Object[] messages;     // I3
    private final SyncWaker senders = new SyncWaker();
    private final SyncWaker receivers = new SyncWaker();
    private volatile int removers;       // removals in progress (I4)
    private volatile int removed;        // removed slots not yet passed (I7)

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
            } else if ((stamp & ~REMOVED_BIT) + oneLap == tail + 1) {  // still holds last lap's message
                if (lvHead() + oneLap == tail && !skipRemovedAtHead()) return false;  // full (I1, I7)
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
            } else if (stamp == (head + 1 | REMOVED_BIT)) {         // removed: pass it
                passRemoved(head, index);
                head = lvHead();
                continue;
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
        for (;;) {
            if (token.closed) return Outcome.CLOSED;
            int i = token.index;
            long written = token.stamp - oneLap + 1;                // this lap's "holds a message"
            Object message = messages[i];
            messages[i] = null;
            if (removers == 0 && laStamp(i) == written) {           // I4: no remover can reach i
                soStamp(i, token.stamp);                            // free for the next lap (I3)
            } else if (!STAMPS.compareAndSet(stamps, i, written, token.stamp)) {
                soStamp(i, token.stamp);                            // a remover won: free it anyway
                message = null;
            }
            senders.notifyOne();
            if (removed != 0) skipRemovedAtHead();                  // I7
            if (message != null) return message;
            REMOVED_COUNT.getAndAdd(this, -1);
            if (!startRecv(token)) return Outcome.EMPTY;
        }
    }

    @Override
    public int removeIf(Predicate<Object> filter, int limit) {
        int count = 0;
        REMOVERS.getAndAdd(this, 1);                                // before reading head (I4)
        try {
            for (long pos = lvHead(); count < limit; pos = next(pos)) {
                pos = Math.max(pos, lvHead());                      // skip what was received meanwhile
                if (pos == (lvTail() & ~markBit)) break;            // I6
                int i = (int) (pos & (markBit - 1));
                long stamp;
                for (int spins = 0; (stamp = laStamp(i)) == pos; spins++) backOff(spins);  // I5
                if (stamp != pos + 1) continue;                     // taken or removed
                Object m = messages[i];                             // this lap's, unless the CAS fails
                if (m == null || !filter.test(m)) continue;
                if (STAMPS.compareAndSet(stamps, i, pos + 1, pos + 1 | REMOVED_BIT)) {
                    REMOVED_COUNT.getAndAdd(this, 1);
                    count++;
                }
            }
        } finally {
            REMOVERS.getAndAdd(this, -1);
        }
        if (count > 0) skipRemovedAtHead();
        return count;
    }

    /** Passes every removed slot at the head (I7); true if it passed any. */
    private boolean skipRemovedAtHead() {
        for (boolean skipped = false; ; ) {
            long head = lvHead();
            int i = (int) (head & (markBit - 1));
            if (laStamp(i) != (head + 1 | REMOVED_BIT)) return skipped;
            skipped |= passRemoved(head, i);
        }
    }

    /**
     * Reserves the removed slot at {@code head} as a receiver would, and frees it. No receive
     * protocol is needed: a removed stamp changes only by the reservation of its position.
     */
    private boolean passRemoved(long head, int i) {
        if (!casHead(head, next(head))) return false;
        messages[i] = null;
        REMOVED_COUNT.getAndAdd(this, -1);
        soStamp(i, head + oneLap);
        senders.notifyOne();
        return true;
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
        return Math.max(0, slotsInUse() - removed);
    }

    @Override
    public int remainingCapacity() {
        return capacity - slotsInUse();
    }

    /** Reserved ring slots, removed ones included (a snapshot). */
    private int slotsInUse() {
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
        long pos = lvHead(), tail = lvTail() & ~markBit;
        for (int seen = 0; pos != tail && seen < capacity; pos = next(pos), seen++) {
            int index = (int) (pos & (markBit - 1));
            long stamp = laStamp(index);
            if (stamp == (pos + 1 | REMOVED_BIT)) continue;
            if (stamp != pos + 1) break;                            // taken or not yet written
            Object m = messages[index];
            if (m == null) break;
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
