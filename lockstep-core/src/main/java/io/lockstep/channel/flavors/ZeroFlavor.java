package io.lockstep.channel.flavors;

import io.lockstep.channel.waiting.Context;
import io.lockstep.channel.waiting.Operation;
import io.lockstep.channel.waiting.WaitQueue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The rendezvous flavor (capacity 0): a send completes only by meeting a receive. Lock-free: a
 * waiting side publishes its operation in a {@link WaitQueue}, and the partner matches it with
 * one CAS.
 *
 * @param <T> the message type
 */
public final class ZeroFlavor<T> extends Flavor<T> {
    /*
     * Implementation notes.
     *
     * Based on: Scherer, Lea and Scott's dual queue ("Scalable synchronous queues", the JDK's
     * SynchronousQueue) for the structure, crossbeam-channel's zero.rs for select: the waiting
     * side's node is the select registration itself (an Operation whose Context may be shared
     * with other cases), and the match is winning that context's selection.
     *
     * Pairing: one WaitQueue per side. A side that finds a live operation of another thread on
     * the other side claims it (context.trySelect(op): the commitment of both parties), then:
     *   receiver meets a waiting sender:  takes the sender's message (immutable in the
     *                                     operation, published with it) and wakes the sender,
     *                                     whose send is already complete.
     *   sender meets a waiting receiver:  writes the message into the receiver's operation
     *                                     (item, volatile) and then wakes it.
     * A waiting receiver that sees its selection before the write (spinning, or a spurious or
     *   timed-out wake-up) waits in Context.awaitItem for the few instructions left; a woken one
     *   finds the message there (the wake-up comes after the write).
     * Otherwise the side waits through Flavor's loop: registerReady enqueues the operation (its
     *   own Context: one 48-byte object per wait, the only allocation of a hand-off) and
     *   re-checks; Context.await spins and parks. In 1P1C the partner usually arrives during the
     *   spin, so neither side parks.
     * Only a receive polls before it registers (spins(false); a send registers at once). When
     *   both sides register, the one whose re-check finds the other must withdraw, unregister
     *   and claim: in 1P1C the two sides finish each message at the same moment, so without
     *   the asymmetry every message went through that (ChannelBench rendezvous 1P1C on virtual
     *   threads: 1 withdrawal per message before, 1 per ~300 after).
     * Virtual threads spin too (spinsVirtual): with one side on each carrier, a side that parks
     *   puts its carrier to sleep and its partner's unpark wakes it, per message; a spinning
     *   side is met (ChannelBench rendezvous on virtual threads, 2 cores: 1P1C ~1000 -> ~210 ns,
     *   4P4C ~760 -> ~220 ns; Context's notes say what a spin costs the other flavors).
     *   On 2 cores each shape runs in one of two modes per JVM, ~3.4x apart, for
     *   SynchronousQueue as much as for this (1P1C: 103-112 or ~370 ns; this: ~205 or ~720);
     *   compare within the same mode. The slow mode's profile is the fast one's, uniformly
     *   slower, and no parks: not a side spinning behind a partner queued on its own carrier.
     *   Tried and rejected: adaptive spinning (stop spinning after 2 spins in a row end in a
     *   park, probe every 64th wait), meant for that case: no change in 12 forks (slow ones
     *   ~730 ns either way).
     * A thread never pairs with its own registration (WaitQueue skips them), so a select with a
     * send and a receive on the same rendezvous channel never meets itself.
     *
     * Invariants:
     *   I1  A registration's owner completes it once selected with it (accept never fails here):
     *       the claimer follows every claim with the hand-off and the wake-up.
     *   I2  closed changes false -> true once; close then disconnects both queues. A send that
     *       sees closed fails without claiming; one that claimed before close completes (it is
     *       ordered before the close).
     * No lost wake-up: a registrant enqueues (CAS) and then re-checks the other side and closed;
     *   a partner changes nothing it could miss: it claims what is enqueued (CAS), close writes
     *   closed and then scans. All volatile, so one of the two sees the other.
     * Memory ordering: a sender's message is published with its operation (the enqueue CAS) or
     *   by the volatile item write; the context CAS orders the claim.
     * Progress: lock-free matching; waiting parks (Context). Status queries never block.
     * Tried and rejected: the previous design (crossbeam's zero.rs: both wakers under one lock,
     *   a Packet per wait): every hand-off took the lock on both sides and allocated four
     *   objects (ChannelBench rendezvous 0.4x SynchronousQueue).
     */
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(ZeroFlavor.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int OWN = 1;   // token.index: ref is our own operation, selected by a partner

    private final WaitQueue senders = new WaitQueue();
    private final WaitQueue receivers = new WaitQueue();
    private volatile boolean closed;        // I2

    /** A rendezvous channel. */
    public ZeroFlavor() {}

    @Override
    boolean spins(boolean send) {
        return !send;                       // Pairing: only a receive polls before it registers
    }

    @Override
    boolean spinYields() {
        return false;                       // a receive polls for a sender about to register
    }

    @Override
    boolean spinsVirtual() {
        return true;                        // Pairing: a partner on another carrier meets a spin
    }

    @Override
    public Outcome trySend(T message) {
        if (closed) return Outcome.CLOSED;
        Operation r = receivers.claim();
        if (r == null) return closed ? Outcome.CLOSED : Outcome.FULL;
        handTo(r, message);
        return Outcome.SENT;
    }

    @Override
    public Object tryRecv() {
        Operation s = senders.claim();
        if (s != null) return takeFrom(s);
        return closed ? Outcome.CLOSED : Outcome.EMPTY;
    }

    /** Completes a claimed receive: the message first, then the wake-up (I1). */
    private static void handTo(Operation receiver, Object message) {
        receiver.deliver(message);
    }

    /** Completes a claimed send: its message, and the sender is released. */
    private static Object takeFrom(Operation sender) {
        return sender.take();
    }

    @Override
    public boolean startSend(Token token) {
        if (closed) {
            token.reserveClosed();
            return true;
        }
        return reserve(receivers, token);
    }

    @Override
    public boolean startRecv(Token token) {
        return reserve(senders, token);
    }

    private boolean reserve(WaitQueue partners, Token token) {
        Operation partner = partners.claim();
        if (partner != null) {
            token.reserve(0, 0, partner);
            return true;
        }
        if (!closed) return false;
        token.reserveClosed();
        return true;
    }

    @Override
    public boolean accept(boolean send, Token token, Operation operation) {
        token.reserve(OWN, 0, operation);                               // I1: always succeeds
        return true;
    }

    @Override
    public boolean write(Token token, T message) {
        if (token.closed) return false;
        if (token.index != OWN) handTo((Operation) token.ref, message);
        return true;                        // OWN: a receiver took our operation's message
    }

    @Override
    public Object read(Token token) {
        if (token.closed) return Outcome.CLOSED;
        Operation op = (Operation) token.ref;
        return token.index == OWN ? completeSelected(false, op) : takeFrom(op);
    }

    /** The blocking loop's shortcut past accept/write/read, with no Token (I1). */
    @Override
    Object completeSelected(boolean send, Operation op) {
        if (send) return Outcome.SENT;      // the receiver took the operation's message
        return op.awaitItem(owner());       // our receive: the sender writes it after claiming
    }

    @Override
    public void register(boolean send, Operation operation, Context context) {
        (send ? senders : receivers).enqueue(operation, context);
    }

    @Override
    public void unregister(boolean send, Operation operation) {
        (send ? senders : receivers).remove(operation);
    }

    @Override
    public boolean isReady(boolean send) {
        return closed || (send ? receivers : senders).canClaim();
    }

    @Override
    public boolean close() {
        if (closed || !CLOSED.compareAndSet(this, false, true)) return false;   // keeps I2
        senders.disconnect();
        receivers.disconnect();
        return true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public int size() {
        return 0;
    }

    @Override
    public int capacity() {
        return 0;
    }

    /** A snapshot that never blocks (live registrations, WaitQueue.size). */
    @Override
    public int registrations() {
        return senders.size() + receivers.size();
    }
}
