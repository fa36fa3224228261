package io.lockstep.channel.flavors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

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
     *   I2  The sender that reserves offset BLOCK_CAP - 1 installs the next block: tailBlock,
     *       then tail to the next block's offset 0, then block.next. Until then others wait.
     *   I3  Each slot is written once by its sender and read once by its receiver.
     * Memory ordering: the message store is a release store; the reader's acquire load that sees
     *   it non-null makes the sender's prior writes visible. Index updates are volatile.
     * Progress: lock-free reservation; a receiver whose reserved slot is not yet written, or
     *   that needs a block not yet linked, waits a few instructions' worth for the sender that
     *   reserved it (spin, then yield: that sender is between two stores).
     */
    static final int SHIFT = 1;
    static final long MARK_BIT = 1;
    static final int LAP = 32;
    static final int BLOCK_CAP = LAP - 1;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

    /** A block of slots. */
    private static final class Block {
        final Object[] slots = new Object[BLOCK_CAP];        // I3
        volatile Block next;                                 // set once (I2)

        Block waitNext() {
            for (int spins = 0; ; spins++) {
                Block n = next;
                if (n != null) return n;
                backOff(spins);
            }
        }
    }

    private volatile Block headBlock;
    private volatile Block tailBlock;
    private final SyncWaker receivers = new SyncWaker();

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
                backOff(spins);
                tail = lvTail();
                block = tailBlock;
                continue;
            }
            if (offset + 1 == BLOCK_CAP && nextBlock == null) nextBlock = new Block();
            if (casTail(tail, tail + (1 << SHIFT))) {
                if (offset + 1 == BLOCK_CAP) {                      // we install the next block (I2)
                    tailBlock = nextBlock;
                    xaddTail(1 << SHIFT);
                    block.next = nextBlock;
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
                backOff(spins);
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
        if (token.closed) return Outcome.CLOSED;
        Object[] slots = ((Block) token.ref).slots;
        Object message;
        for (int spins = 0; (message = SLOTS.getAcquire(slots, token.index)) == null; spins++) backOff(spins);
        slots[token.index] = null;                                  // let the GC have it early
        return message;
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
        Block block = headBlock;
        long pos = lvHead() >>> SHIFT, end = lvTail() >>> SHIFT;
        while (pos < end && block != null) {
            int offset = (int) (pos % LAP);
            if (offset == BLOCK_CAP) {
                block = block.next;
            } else {
                Object m = SLOTS.getAcquire(block.slots, offset);
                if (m == null) break;                               // taken or not yet written
                out.add(m);
            }
            pos++;
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
