package io.lockstep.channel.flavors;

import io.lockstep.channel.waiting.Context;
import io.lockstep.channel.waiting.Operation;
import io.lockstep.channel.waiting.SyncWaker;
import io.lockstep.lockfree.ring.PeerWait;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The unbounded flavor: a linked list of blocks of 31 slots, after crossbeam-channel's
 * {@code list.rs}. Senders never wait; receivers wait when it is empty.
 *
 * @param <T> the message type
 */
public final class ListFlavor<T> extends Indices<T> {
    /*
     * Implementation notes.
     *
     * Based on: crossbeam-channel's list.rs (itself after Vyukov's unbounded MPSC/MPMC lists).
     * Differences: the garbage collector frees blocks, so there is no DESTROY/READ bookkeeping
     * and no deferred destruction; the first block is allocated eagerly; a slot is "written"
     * when its message reference is non-null (messages are never null), so a slot is one word.
     *
     * State: head and tail are positions << SHIFT. A position p lives in block p / LAP at offset
     *   p % LAP; offset BLOCK_CAP (= LAP - 1) is never a slot: a position there means "the next
     *   block is being installed". MARK_BIT in tail = closed; in head = head's block has a
     *   successor (so the receiver need not look at tail).
     *     headBlock, tailBlock    the blocks of head and tail (tailBlock may briefly lag)
     * Invariants:
     *   I1  head <= tail (ignoring MARK_BIT): the messages are the positions in between.
     *   I2  The sender that reserves offset BLOCK_CAP - 1 installs the next block: block.next,
     *       then tailBlock, then tail to the next block's offset 0. Until then others wait.
     *       Linking first (crossbeam links last) means a block is reachable from its predecessor
     *       before any position in it is reserved: walking `next` from a block at or before
     *       position p reaches p's block for every p below a tail already read. Nothing else
     *       changes: a receiver that sees block.next set knows every slot of block is reserved,
     *       which is what it assumed when it saw tail beyond block.
     *   I3  Each slot is written once by its sender and read once by its receiver.
     * Memory ordering: the message store is a release store; the reader's acquire load that sees
     *   it non-null makes the sender's prior writes visible. Index updates are volatile.
     * Progress: lock-free reservation; a receiver whose reserved slot is not yet written, or
     *   that needs a block not yet linked, waits for the sender that reserved it with PeerWait
     *   (spins, a few yields, then timed parks: that sender is between two stores and needs
     *   only CPU time; PeerWait's notes).
     *
     * Interior removal (removeIf, for the queue view) follows SlotRing's protocol (I4 there; ArrayFlavor runs on SlotRing):
     *   a remover increments `removers`, then reads head, and CASes written messages at or after
     *   it to REMOVED; a receiver that reads `removers` != 0 after its head CAS takes its slot
     *   with getAndSet(null). To find head's block a remover reads headBlock before head: head
     *   enters a block only after headBlock points to it, so that block starts at or before
     *   head, and the walk follows `next` from there (each block knows its first position).
     *   Like a receiver, a remover waits for a slot reserved by a sender but not yet written
     *   (SlotRing's I5: skipping it is not linearizable); a null slot behind head is taken.
     *   `removed` counts REMOVED slots not yet passed by a receiver; size() excludes them.
     *
     * Snapshot (iterators, contains): reads headBlock, then tail, then head, and walks the
     *   positions in between without waiting: a slot reserved but not yet written, or taken
     *   meanwhile (both null), is skipped, never stopped at, and every block on the way is
     *   linked (I2). A message buffered for the whole snapshot was written before the tail read
     *   and not received before the head read, so it is in the snapshot (SlotRing's I9).
     */
    static final int SHIFT = 1;
    static final long MARK_BIT = 1;
    static final int LAP = 32;
    static final int BLOCK_CAP = LAP - 1;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    /** Stands in a slot for a message removed by {@link #removeIf}; never handed to a user. */
    private static final Object REMOVED = new Object() {
        @Override
        public String toString() {
            return "REMOVED";
        }
    };
    private static final VarHandle REMOVERS, REMOVED_COUNT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            REMOVERS = l.findVarHandle(ListFlavor.class, "removers", int.class);
            REMOVED_COUNT = l.findVarHandle(ListFlavor.class, "removed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A block of slots. */
    private static final class Block {
        final Object[] slots = new Object[BLOCK_CAP];        // I3
        volatile Block next;                                 // set once (I2)
        long start;                                          // first position; set before publication

        Block waitNext() {
            for (int spins = 0; ; spins++) {
                Block n = next;
                if (n != null) return n;
                PeerWait.backOff(spins);
            }
        }
    }

    private volatile Block headBlock;
    private volatile Block tailBlock;
    private final SyncWaker receivers = new SyncWaker();
    private volatile int removers;          // removals in progress
    private volatile int removed;           // REMOVED slots not yet received

    /** An empty unbounded buffer. */
    public ListFlavor() {
        Block first = new Block();
        headBlock = first;
        tailBlock = first;
    }

    @Override
    public boolean startSend(Token token) {
        long tail = lvTail();
        Block block = tailBlock;
        Block nextBlock = null;
        for (int spins = 0; ; spins++) {
            if ((tail & MARK_BIT) != 0) {
                token.reserveClosed();
                return true;
            }
            int offset = (int) ((tail >>> SHIFT) % LAP);
            if (offset == BLOCK_CAP) {                              // next block being installed (I2)
                PeerWait.backOff(spins);
                tail = lvTail();
                block = tailBlock;
                continue;
            }
            if (offset + 1 == BLOCK_CAP && nextBlock == null) nextBlock = new Block();
            if (casTail(tail, tail + (1 << SHIFT))) {
                if (offset + 1 == BLOCK_CAP) {                      // we install the next block (I2)
                    nextBlock.start = block.start + LAP;
                    block.next = nextBlock;                         // publishes start
                    tailBlock = nextBlock;
                    xaddTail(1 << SHIFT);
                }
                token.reserve(offset, 0, block);
                return true;
            }
            tail = lvTail();
            block = tailBlock;
        }
    }

    @Override
    public boolean write(Token token, T message) {
        if (token.closed) return false;
        SLOTS.setRelease(((Block) token.ref).slots, token.index, message);
        receivers.notifyOne();
        return true;
    }

    @Override
    public boolean startRecv(Token token) {
        long head = lvHead();
        Block block = headBlock;
        for (int spins = 0; ; spins++) {
            int offset = (int) ((head >>> SHIFT) % LAP);
            if (offset == BLOCK_CAP) {                              // next block being installed
                PeerWait.backOff(spins);
                head = lvHead();
                block = headBlock;
                continue;
            }
            long newHead = head + (1 << SHIFT);
            if ((newHead & MARK_BIT) == 0) {                        // tail may be in this block
                long tail = lvTail();
                if (head >>> SHIFT == tail >>> SHIFT) {             // empty (I1)
                    if ((tail & MARK_BIT) == 0) return false;
                    token.reserveClosed();
                    return true;
                }
                if ((head >>> SHIFT) / LAP != (tail >>> SHIFT) / LAP) newHead |= MARK_BIT;
            }
            if (casHead(head, newHead)) {
                if (offset + 1 == BLOCK_CAP) {                      // move to the next block
                    Block next = block.waitNext();
                    long nextIndex = (newHead & ~MARK_BIT) + (1 << SHIFT);
                    if (next.next != null) nextIndex |= MARK_BIT;
                    headBlock = next;
                    svHead(nextIndex);
                }
                token.reserve(offset, 0, block);
                return true;
            }
            head = lvHead();
            block = headBlock;
        }
    }

    @Override
    public Object read(Token token) {
        for (;;) {
            if (token.closed) return Outcome.CLOSED;
            Object[] slots = ((Block) token.ref).slots;
            int i = token.index;
            Object message;
            if (removers == 0) {                                    // no remover can reach i
                for (int spins = 0; (message = SLOTS.getAcquire(slots, i)) == null; spins++) PeerWait.backOff(spins);
                slots[i] = null;                                    // let the GC have it early
            } else {
                for (int spins = 0; (message = SLOTS.getAndSet(slots, i, null)) == null; spins++) PeerWait.backOff(spins);
            }
            if (message != REMOVED) return message;
            REMOVED_COUNT.getAndAdd(this, -1);
            if (!startRecv(token)) return Outcome.EMPTY;
        }
    }

    @Override
    public int removeIf(Predicate<Object> filter, int limit) {
        int count = 0;
        REMOVERS.getAndAdd(this, 1);                                // before reading head
        try {
            Block block = headBlock;                                // before head: starts at or before it
            for (long pos = lvHead() >>> SHIFT; count < limit; pos++) {
                pos = Math.max(pos, lvHead() >>> SHIFT);            // skip what was received meanwhile
                if (pos >= lvTail() >>> SHIFT) break;               // the tail as it is now (SlotRing's I6)
                if (pos % LAP == BLOCK_CAP) continue;
                block = seek(block, pos);                           // linked: pos < a tail read (I2)
                Object[] slots = block.slots;
                int offset = (int) (pos % LAP);
                Object m;
                for (int spins = 0; (m = SLOTS.getAcquire(slots, offset)) == null; spins++) {
                    if (lvHead() >>> SHIFT > pos) break;            // taken
                    PeerWait.backOff(spins);                        // reserved, not yet written
                }
                if (m == null || m == REMOVED || !filter.test(m)) continue;
                if (SLOTS.compareAndSet(slots, offset, m, REMOVED)) {
                    REMOVED_COUNT.getAndAdd(this, 1);
                    count++;
                }
            }
        } finally {
            REMOVERS.getAndAdd(this, -1);
        }
        return count;
    }

    /**
     * The block holding {@code pos}, walking forward from {@code block} (which starts at or
     * before it); {@code pos} is below a tail read after {@code block}, so every block on the
     * way is linked (I2).
     */
    private static Block seek(Block block, long pos) {
        while (block.start + LAP <= pos) block = block.next;
        return block;
    }

    @Override
    public void register(boolean send, Operation operation, Context context) {
        if (send) throw new AssertionError("an unbounded channel never makes a sender wait");
        receivers.register(operation, context);
    }

    @Override
    public void unregister(boolean send, Operation operation) {
        if (!send) receivers.unregister(operation);
    }

    @Override
    public boolean isReady(boolean send) {
        if (send) return true;
        long tail = lvTail();
        return (tail & MARK_BIT) != 0 || lvHead() >>> SHIFT != tail >>> SHIFT;
    }

    @Override
    public boolean close() {
        if ((orTail(MARK_BIT) & MARK_BIT) != 0) return false;
        receivers.disconnect();
        return true;
    }

    @Override
    public boolean isClosed() {
        return (lvTail() & MARK_BIT) != 0;
    }

    @Override
    public int size() {
        return Math.max(0, slotsInUse() - removed);
    }

    @Override
    public int remainingCapacity() {
        return Integer.MAX_VALUE;
    }

    /** Reserved slots, REMOVED ones included (a snapshot). */
    private int slotsInUse() {
        for (;;) {
            long tail = lvTail(), head = lvHead();
            if (lvTail() != tail) continue;
            tail &= ~((1L << SHIFT) - 1);
            head &= ~((1L << SHIFT) - 1);
            if (((tail >>> SHIFT) & (LAP - 1)) == LAP - 1) tail += 1 << SHIFT;   // on a block end
            if (((head >>> SHIFT) & (LAP - 1)) == LAP - 1) head += 1 << SHIFT;
            long lap = (head >>> SHIFT) / LAP;                      // rotate head into block 0
            tail -= (lap * LAP) << SHIFT;
            head -= (lap * LAP) << SHIFT;
            tail >>>= SHIFT;
            head >>>= SHIFT;
            return (int) Math.min(Integer.MAX_VALUE, tail - head - tail / LAP);
        }
    }

    @Override
    public List<Object> snapshot() {
        List<Object> out = new ArrayList<>();
        Block block = headBlock;                                    // before head, as in removeIf
        long end = lvTail() >>> SHIFT;                              // before head: see the notes
        for (long pos = lvHead() >>> SHIFT; pos < end; pos++) {
            if (pos % LAP == BLOCK_CAP) continue;
            block = seek(block, pos);                               // linked (I2)
            Object m = SLOTS.getAcquire(block.slots, (int) (pos % LAP));
            if (m != null && m != REMOVED) out.add(m);              // null: taken, or not yet written
        }
        return out;
    }

    @Override
    public int capacity() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int registrations() {
        return receivers.size();
    }
}
