package io.lockstep.lockfree.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A bounded ring of stamped slots with two-phase operations: Dmitry Vyukov's bounded MPMC queue
 * as crossbeam-channel's {@code array.rs} adapts it, plus close and interior removal. The one
 * ring under both {@link io.lockstep.lockfree.MpmcArrayQueue} and the bounded
 * {@code io.lockstep.channel.Channel}.
 *
 * <p>An operation reserves a position first and completes it second, so that a caller (a
 * channel's select) can commit to an operation before performing it:
 * <pre>{@code
 * long pos = ring.reserveSend();                 // FULL, CLOSED or a position
 * if (pos >= 0) ring.publish(pos, message);
 * long p = ring.reserveRecv();                   // EMPTY, CLOSED or a position
 * Object m = p >= 0 ? ring.take(p) : null;       // null: removed meanwhile, reserve again
 * }</pre>
 * A reservation must be completed, promptly: until then the peers of that slot wait for it.
 * Subclasses learn when a slot is freed through {@link #slotFreed()} (a channel wakes a sender).
 *
 * <p>Not exported: the reservation protocol is a building block, not an API.
 */
public class SlotRing {
    /*
     * Implementation notes.
     *
     * Based on: Vyukov, "Bounded MPMC queue" (1024cores.net), via crossbeam-channel's array.rs.
     * Differences: stamps and messages in two parallel arrays instead of an array of slot
     * structs; the garbage collector frees messages, so take nulls the slot and nothing else;
     * head and tail live in one padded long[] (each on a cache line of its own) rather than in a
     * padded class hierarchy, so that users compose a ring instead of extending it.
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
     * Interior removal (removeIf, for a channel's queue view): a remover marks a published slot
     *   removed by CASing its stamp from {lap, i} + 1 to the same value with REMOVED_BIT. Stamps never
     *   repeat, so the CAS cannot hit a later lap's message (a CAS on the message could: the
     *   same object may be sent again into the same slot). Receivers and senders treat a
     *   removed stamp as "holds a message" that nobody gets: reserveRecv passes it (reserves and
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
     *       (before `removed` counts the slot). So a removed slot holds capacity only while
     *       older messages are still buffered in front of it; the queue view documents that.
     *   `removed` counts removed slots not yet passed (size() excludes them).
     *
     * Peek (for the queue's peek): reads the head slot as a receiver would, without reserving.
     *   I8  peek returns m, read from slot i at position `head`, only if the stamp is head + 1
     *       (unmarked) both before and after the read of m (an acquire read, so the second
     *       stamp read cannot move before it) and head is unchanged after that: head and stamps
     *       never repeat a value, so head == position and the slot held this lap's unremoved,
     *       untaken m for that whole interval; linearized at the second stamp read, m was the
     *       oldest buffered message. A taken (null) or reused slot fails the re-check: retry.
     *   Empty, removed slots at the head and a slot reserved but unwritten are handled as in
     *   reserveRecv (empty linearized at the tail read; passRemoved; back off).
     *
     * Snapshot (iterators, contains, toArray): weakly consistent, and it never waits.
     *   I9  A message m buffered for the whole snapshot is in it: m's send completed before the
     *       snapshot read tail, and m was not received before it read head, so head <= pos(m) <
     *       tail, and m's slot keeps stamp pos(m) + 1 throughout. The walk visits every position
     *       in [head, tail) that is still buffered; it skips (never stops at, never waits for) a
     *       slot reserved but not yet written (its message was not buffered when the snapshot
     *       began), a removed one, and one taken meanwhile (stamp from a later lap: the walk
     *       jumps to the current head, past which nothing was received). A message is added
     *       only if the stamp is pos + 1 both before and after reading it (as I8), so it is the
     *       message of that position, buffered at that moment, never a later lap's.
     */
    /** {@link #reserveSend}: no free slot. {@link #reserveRecv}: nothing buffered. */
    public static final long FULL = -1, EMPTY = -1;
    /** A reservation found the ring closed (and, for a receive, drained). */
    public static final long CLOSED = -2;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle MESSAGES = MethodHandles.arrayElementVarHandle(Object[].class);
    /** Marks a stamp whose message was removed (above every position a ring reaches). */
    private static final long REMOVED_BIT = 1L << 62;
    /** head and tail sit 16 longs (128 bytes) apart, away from the array header. */
    private static final int HEAD = 16, TAIL = 32, INDICES = 48;
    private static final VarHandle REMOVERS, REMOVED_COUNT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            REMOVERS = l.findVarHandle(SlotRing.class, "removers", int.class);
            REMOVED_COUNT = l.findVarHandle(SlotRing.class, "removed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private final long oneLap;
    private final long markBit;
    private final long[] indices = new long[INDICES];
    private final long[] stamps;
    private final Object[] messages;     // I3
    private volatile int removers;       // removals in progress (I4)
    private volatile int removed;        // removed slots not yet passed (I7)

    /**
     * The largest capacity, 2^24 slots (about 200 MB of slot arrays, allocated up front): a ring
     * allocates every slot at construction, so a huge capacity meant as "no limit" would fail
     * with OutOfMemoryError instead of here.
     */
    public static final int MAX_CAPACITY = 1 << 24;

    /** A ring of {@code capacity} (1 to {@link #MAX_CAPACITY}) slots. */
    public SlotRing(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        if (capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity " + capacity + " exceeds the maximum of " + MAX_CAPACITY
                    + " (1 << 24): the ring allocates every slot up front; use an unbounded queue for more");
        }
        this.capacity = capacity;
        this.markBit = Long.highestOneBit(capacity) << 1;       // the smallest power of two > capacity
        this.oneLap = markBit << 1;
        this.stamps = new long[capacity];
        this.messages = new Object[capacity];
        for (int i = 0; i < capacity; i++) stamps[i] = i;      // {lap 0, index i}: free for lap 0
        VarHandle.releaseFence();
    }

    /** Called after a slot is freed (a sender waiting for room may proceed); nothing by default. */
    protected void slotFreed() {}

    // ---------------------------------------------------------------- indices and stamps

    private long lvHead() {
        return (long) LONGS.getVolatile(indices, HEAD);
    }

    private long lvTail() {
        return (long) LONGS.getVolatile(indices, TAIL);
    }

    private boolean casHead(long expect, long update) {
        return LONGS.compareAndSet(indices, HEAD, expect, update);
    }

    private boolean casTail(long expect, long update) {
        return LONGS.compareAndSet(indices, TAIL, expect, update);
    }

    private long laStamp(int i) {
        return (long) LONGS.getAcquire(stamps, i);
    }

    private void soStamp(int i, long v) {
        LONGS.setRelease(stamps, i, v);
    }

    private int index(long position) {
        return (int) (position & (markBit - 1));
    }

    /** The position after {@code position}: the next slot, or slot 0 of the next lap. */
    private long next(long position) {
        long index = position & (markBit - 1);
        return index + 1 < capacity ? position + 1 : (position & ~(oneLap - 1)) + oneLap;
    }

    // ---------------------------------------------------------------- send

    /** Reserves the next free slot: its position, {@link #FULL}, or {@link #CLOSED}. */
    public final long reserveSend() {
        long tail = lvTail();
        for (int spins = 0; ; spins++) {
            if ((tail & markBit) != 0) return CLOSED;               // I2
            int index = index(tail);
            long stamp = laStamp(index);
            if (stamp == tail) {                                    // free for this lap
                if (casTail(tail, next(tail))) return tail;
            } else if ((stamp & ~REMOVED_BIT) + oneLap == tail + 1) {  // still holds last lap's message
                if (lvHead() + oneLap == tail && !skipRemovedAtHead()) return FULL;  // I1, I7
            }
            PeerWait.backOff(spins);                                         // another operation in flight
            tail = lvTail();
        }
    }

    /** Completes a send reserved at {@code position}. */
    public final void publish(long position, Object message) {
        int i = index(position);
        messages[i] = message;
        soStamp(i, position + 1);                                   // publish: keeps I3
    }

    // ---------------------------------------------------------------- receive

    /** Reserves the oldest message: its position, {@link #EMPTY}, or {@link #CLOSED} (and drained). */
    public final long reserveRecv() {
        long head = lvHead();
        for (int spins = 0; ; spins++) {
            int index = index(head);
            long stamp = laStamp(index);
            if (stamp == head + 1) {                                // holds this lap's message
                if (casHead(head, next(head))) return head;
            } else if (stamp == (head + 1 | REMOVED_BIT)) {         // removed: pass it
                passRemoved(head, index);
                head = lvHead();
                continue;
            } else if (stamp == head) {                             // not written yet
                long tail = lvTail();
                if ((tail & ~markBit) == head) return (tail & markBit) == 0 ? EMPTY : CLOSED;
            }
            PeerWait.backOff(spins);
            head = lvHead();
        }
    }

    /**
     * Completes a receive reserved at {@code position}: the message, or null if it was removed
     * meanwhile (the slot is freed either way; reserve again).
     */
    public final Object take(long position) {
        int i = index(position);
        long written = position + 1, free = position + oneLap;
        Object message = messages[i];
        messages[i] = null;
        if (removers == 0 && laStamp(i) == written) {               // I4: no remover can reach i
            soStamp(i, free);                                       // free for the next lap (I3)
        } else if (!LONGS.compareAndSet(stamps, i, written, free)) {
            soStamp(i, free);                                       // a remover won: free it anyway
            REMOVED_COUNT.getAndAdd(this, -1);
            message = null;
        }
        slotFreed();
        if (removed != 0) skipRemovedAtHead();                      // I7
        return message;
    }

    // ---------------------------------------------------------------- peek

    /**
     * The oldest buffered message without receiving it, or null if none: linearizable against
     * reservations, removals and takes (a message whose receive is reserved is no longer
     * buffered). Like {@link #reserveRecv}, it waits for a sender that has reserved the head
     * slot but not yet published it, and passes removed slots at the head (I7).
     */
    public final Object peek() {
        long head = lvHead();
        for (int spins = 0; ; spins++) {
            int index = index(head);
            long stamp = laStamp(index);
            if (stamp == head + 1) {                                // holds this lap's message
                Object m = MESSAGES.getAcquire(messages, index);    // I8: then re-check the stamp
                if (m != null && laStamp(index) == stamp && lvHead() == head) return m;
            } else if (stamp == (head + 1 | REMOVED_BIT)) {         // removed: pass it
                passRemoved(head, index);
                head = lvHead();
                continue;
            } else if (stamp == head) {                             // not written yet
                long tail = lvTail();
                if ((tail & ~markBit) == head) return null;
            }
            PeerWait.backOff(spins);
            head = lvHead();
        }
    }

    // ---------------------------------------------------------------- removal

    /**
     * Removes up to {@code limit} buffered messages that {@code filter} accepts, oldest first;
     * returns how many. A removed message is never taken.
     */
    public final int removeIf(Predicate<Object> filter, int limit) {
        int count = 0;
        REMOVERS.getAndAdd(this, 1);                                // before reading head (I4)
        try {
            for (long pos = lvHead(); count < limit; pos = next(pos)) {
                pos = Math.max(pos, lvHead());                      // skip what was received meanwhile
                if (pos == (lvTail() & ~markBit)) break;            // I6
                int i = index(pos);
                long stamp;
                for (int spins = 0; (stamp = laStamp(i)) == pos; spins++) PeerWait.backOff(spins);  // I5
                if (stamp != pos + 1) continue;                     // taken or removed
                Object m = messages[i];                             // this lap's, unless the CAS fails
                if (m == null || !filter.test(m)) continue;
                if (LONGS.compareAndSet(stamps, i, pos + 1, pos + 1 | REMOVED_BIT)) {
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
            int i = index(head);
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
        slotFreed();
        return true;
    }

    // ---------------------------------------------------------------- state

    /** Closes the ring; true if this call did. Later sends find it {@link #CLOSED}. */
    public final boolean close() {
        return ((long) LONGS.getAndBitwiseOr(indices, TAIL, markBit) & markBit) == 0;
    }

    /** Whether {@link #close} was called. */
    public final boolean isClosed() {
        return (lvTail() & markBit) != 0;
    }

    /** Whether a send could reserve now, or the ring is closed (a snapshot). */
    public final boolean canSend() {
        long tail = lvTail();
        return (tail & markBit) != 0 || lvHead() + oneLap != tail;
    }

    /** Whether a receive could reserve now, or the ring is closed (a snapshot). */
    public final boolean canRecv() {
        long tail = lvTail();
        return (tail & markBit) != 0 || lvHead() != tail;
    }

    /** Messages buffered now, removed ones excluded (a snapshot). */
    public final int size() {
        return Math.max(0, slotsInUse() - removed);
    }

    /** Free slots now (a snapshot); a removed slot is free once the head passes it. */
    public final int remainingCapacity() {
        return capacity - slotsInUse();
    }

    /** The number of slots. */
    public final int capacity() {
        return capacity;
    }

    /** Reserved slots, removed ones included (a snapshot). */
    private int slotsInUse() {
        for (;;) {
            long tail = lvTail(), head = lvHead();
            if (lvTail() != tail) continue;                         // a consistent pair
            int hix = index(head), tix = index(tail);
            if (hix < tix) return tix - hix;
            if (hix > tix) return capacity - hix + tix;
            return (tail & ~markBit) == head ? 0 : capacity;
        }
    }

    /**
     * The buffered messages, oldest first: weakly consistent (exact when nothing runs). Every
     * message buffered for the whole call is in it (I9); a message sent or received meanwhile may
     * or may not be.
     */
    public final List<Object> snapshot() {
        List<Object> out = new ArrayList<>();
        long pos = lvHead(), tail = lvTail() & ~markBit;             // I9: head first
        while (pos < tail) {
            int index = index(pos);
            long stamp = laStamp(index);
            if (stamp == pos + 1) {                                 // this lap's message, unless taken now
                Object m = MESSAGES.getAcquire(messages, index);
                if (m != null && laStamp(index) == stamp) out.add(m);
            } else if (stamp != pos && stamp != (pos + 1 | REMOVED_BIT)) {  // received meanwhile
                long head = lvHead();
                if (head > pos) {                                   // catch up with the receivers
                    pos = head;
                    continue;
                }
            }
            pos = next(pos);                                        // reserved, not yet written: skip
        }
        return out;
    }
}
