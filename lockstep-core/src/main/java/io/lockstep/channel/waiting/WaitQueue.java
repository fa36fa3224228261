package io.lockstep.channel.waiting;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * Padding, as flavors.Indices does it: head and tail each get cache lines of their own, apart
 * from each other and from the objects before and after this one in the heap (WaitQueue's notes
 * say what that bought).
 */
abstract class WaitQueuePad0 {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}

abstract class WaitQueueHead extends WaitQueuePad0 {
    volatile Operation head;      // the dummy
}

abstract class WaitQueuePad1 extends WaitQueueHead {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}

abstract class WaitQueueTail extends WaitQueuePad1 {
    volatile Operation tail;      // the last node, or behind it
}

abstract class WaitQueuePad2 extends WaitQueueTail {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}

/**
 * The operations waiting on one side of a rendezvous channel: a lock-free FIFO list whose nodes
 * are the {@link Operation}s themselves. A partner claims a waiter with one CAS, on the waiter's
 * {@link Context} (the same selection a {@code Select} waits on), so select registration and a
 * plain blocking wait use the same structure.
 */
public final class WaitQueue extends WaitQueuePad2 {
    /*
     * Implementation notes.
     *
     * Based on: the Michael-Scott queue as Scherer, Lea and Scott's dual queue uses it (the JDK's
     * SynchronousQueue in fair mode, LinkedTransferQueue), with crossbeam's contexts as the
     * match word: a node is live while its context is unselected, and a partner matches it by
     * winning context.trySelect(node). A node carries no state of its own, so a select's
     * registration on several channels needs no second mechanism: whichever partner wins the
     * shared context wins the select.
     *
     * Structure: head is a dummy node; the waiting operations follow it, oldest first, linked
     *   through Operation.next (VarHandle NEXT: release on publish, acquire on traversal).
     *   tail is the last node or lags behind it (enqueue helps it along, as in the MS queue).
     * Removal: a node is dead once its context is selected (matched, aborted, timed out,
     *   interrupted, disconnected); whoever passes a dead node unlinks it: the first by
     *   advancing head to it (it becomes the dummy), an interior one by a CAS of its
     *   predecessor's next past it. The owner's unregister walks up to its own node the same
     *   way, so an abandoned wait is normally unlinked at once.
     * Invariants:
     *   I1  A node's next changes only null -> successor (enqueue) or from a dead node to the node
     *       after it (unlink); next pointers only ever point forward, so a traversal or a stale
     *       tail standing on an unlinked node still reaches the live list.
     *   I2  The last node (next == null) is never unlinked, so an enqueue (which CASes the last
     *       node's next from null) never appends to an unlinked node. A dead last node goes when a
     *       successor arrives.
     *   I3  Every live node is reachable from head: an unlink only bypasses a dead node.
     * An unlink through a predecessor that was itself unlinked concurrently is lost: the dead
     *   node stays until the next traversal passes it. Dead nodes never match, so that costs
     *   memory only until then; registrations() counts live nodes.
     * Progress: lock-free (a failed CAS means another thread's CAS succeeded).
     * Self-pairing: nodes whose context belongs to the calling thread are skipped, so a select
     *   with a send and a receive on one rendezvous channel never meets itself.
     * Padding (the WaitQueuePad classes, 128 bytes before head, between head and tail, and
     *   after tail; about 400 bytes per queue, two per rendezvous channel): in a stream of
     *   hand-offs the claimer CASes head and the registrant tail, and both read the channel's
     *   fields (ZeroFlavor's, allocated just before the senders' queue) on every operation.
     *   Unpadded, each CAS of head also took that line from the other core. ChannelBench
     *   rendezvous, virtual threads, 2 cores, 2026-12-05, two alternating rounds of 4 forks:
     *   1P1C 1184/1299 -> 932/1041 ns, 4P4C 990/965 -> 695/755 ns per message. Padding only
     *   between head and tail (head right after the object before it) measured as unpadded.
     */
    private static final VarHandle HEAD, TAIL, NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(WaitQueueHead.class, "head", Operation.class);
            TAIL = l.findVarHandle(WaitQueueTail.class, "tail", Operation.class);
            NEXT = l.findVarHandle(Operation.class, "next", Operation.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public WaitQueue() {
        head = tail = new Operation();
    }

    private static Operation next(Operation o) {
        return (Operation) NEXT.getAcquire(o);
    }

    /** Publishes {@code operation}, waiting with {@code context}, as the newest node. */
    public void enqueue(Operation operation, Context context) {
        operation.context = context;                        // published by the CAS below
        for (;;) {
            Operation t = tail, n = next(t);
            if (n != null) {
                TAIL.weakCompareAndSet(this, t, n);         // help a lagging tail
            } else if (NEXT.compareAndSet(t, null, operation)) {
                TAIL.weakCompareAndSet(this, t, operation); // failure: the next enqueue helps
                return;
            }
        }
    }

    /**
     * Claims the oldest live operation of another thread: selects its context with it (the
     * commit of both parties) and returns it; null if there is none. The caller completes the
     * hand-off and wakes it ({@code context.unpark()}).
     */
    public Operation claim() {
        return scan(true, null);
    }

    /** Whether {@link #claim} could succeed now (a snapshot). */
    public boolean canClaim() {
        return scan(false, null) != null;
    }

    /** Unlinks the owner's {@code operation}, whose context is already selected (see I2). */
    public void remove(Operation operation) {
        scan(false, operation);
    }

    /**
     * Walks the list, unlinking dead nodes. With {@code until} set: stops after passing it.
     * Otherwise returns the first live node of another thread, claimed if {@code claim}.
     */
    private Operation scan(boolean claim, Operation until) {
        Thread self = Thread.currentThread();
        Operation pred = head, p;
        while ((p = next(pred)) != null) {
            Context cx = p.context;
            boolean won = false;
            if (until == null && cx.selected() == null && cx.thread != self) {
                if (!claim) return p;
                won = cx.trySelect(p);
            }
            if (won || cx.selected() != null) {
                pred = unlink(pred, p);
                if (won) return p;
            } else {
                pred = p;                                   // live: our own, or another's
            }
            if (p == until) return null;
        }
        return null;
    }

    /** Unlinks dead {@code p} after {@code pred}; returns the node to continue from. */
    private Operation unlink(Operation pred, Operation p) {
        if (pred == head && HEAD.compareAndSet(this, pred, p)) return p;   // p: the new dummy
        Operation n = next(p);
        if (n == null) return p;                            // the last node stays (I2)
        NEXT.compareAndSet(pred, p, n);                     // lost if pred went too: see notes
        return pred;
    }

    /** Selects every live node with {@link Selected#DISCONNECTED} and wakes it. */
    public void disconnect() {
        for (Operation p = next(head); p != null; p = next(p)) {
            if (p.context.trySelect(Selected.DISCONNECTED)) p.context.unpark();
        }
    }

    /** Live registrations now (a snapshot; never blocks). */
    public int size() {
        int n = 0;
        for (Operation p = next(head); p != null; p = next(p)) {
            if (p.context.selected() == null) n++;
        }
        return n;
    }
}
