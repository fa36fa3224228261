package io.lockstep.channel.flavors;

import io.lockstep.internal.GuardedBy;
import io.lockstep.lock.RawMutex;

/**
 * The rendezvous flavor (capacity 0): a send completes only by meeting a receive, after
 * crossbeam-channel's {@code zero.rs}.
 *
 * @param <T> the message type
 */
public final class ZeroFlavor<T> extends Flavor<T> {
    /*
     * Implementation notes.
     *
     * Based on: crossbeam-channel's zero.rs. One lock guards both wakers and the closed flag;
     * the message moves through a Packet outside the lock.
     *
     * Pairing: a side that finds a registration on the other side selects it under the lock
     * (Waker.trySelect) and takes its packet into the token; that selection is the commitment
     * of both parties. Then, outside the lock:
     *   sender meets a waiting receiver:  write puts the message in the receiver's empty packet
     *                                     and readies it, which wakes the receiver.
     *   receiver meets a waiting sender:  read takes the message from the sender's preloaded
     *                                     packet and readies it, which wakes the sender.
     * The wake-up comes from setReady, not from the selection: a partner woken at selection would
     *   only find its packet not ready yet and wait again (on a virtual thread, one more trip
     *   through the scheduler). A waiter that sees its selection early (spinning, or a spurious
     *   or timed-out wake-up) waits in Packet.waitReady for the few instructions left.
     * A thread never pairs with its own registration (Waker skips them), so a select with a send
     * and a receive on the same rendezvous channel never meets itself.
     *
     * Invariants:
     *   I1  A registration leaves a waker only by being selected (by a partner, under the lock)
     *       or by its owner's unregister; a selected registration's owner always completes it
     *       (accept never fails here).
     *   I2  closed changes false -> true once, under the lock, and disconnects both wakers.
     * Memory ordering: the lock orders selection; Packet's volatile ready flag carries the
     *   message and everything before the send to the receiver.
     * Progress: blocking (a lock; critical sections are a few list operations). Status queries
     *   (isClosed, registrations, and through them the Channel's toString) never take the lock.
     * Tried and rejected: a lock-free exchanger slot (SynchronousQueue's dual stack) needs a
     *   second mechanism for select registration; one lock keeps both paths the same.
     */
    private final RawMutex lock = new RawMutex();
    @GuardedBy("lock")
    private final Waker senders = new Waker();
    @GuardedBy("lock")
    private final Waker receivers = new Waker();
    private volatile boolean closed;        // I2; written under the lock, read anywhere

    /** A rendezvous channel. */
    public ZeroFlavor() {}

    @Override
    boolean spins() {
        return false;
    }

    @Override
    public boolean startSend(Token token) {
        return pair(receivers, token);
    }

    @Override
    public boolean startRecv(Token token) {
        return pair(senders, token);
    }

    private boolean pair(Waker partners, Token token) {
        Operation partner;
        lock.lock();
        try {
            partner = partners.trySelect();
            if (partner == null) {
                if (!closed) return false;
                token.reserveClosed();
                return true;
            }
        } finally {
            lock.unlock();
        }
        token.reserve(0, 0, partner.packet);
        return true;
    }

    @Override
    public boolean accept(boolean send, Token token, Operation operation) {
        token.reserve(0, 0, operation.packet);                          // I1: always succeeds
        return true;
    }

    @Override
    public boolean write(Token token, T message) {
        if (token.closed) return false;
        Packet packet = (Packet) token.ref;
        if (packet.preloaded) {                 // our own packet: a receiver took the message
            packet.waitReady();
        } else {                                // a waiting receiver's packet
            packet.message = message;
            packet.setReady();
        }
        return true;
    }

    @Override
    public Object read(Token token) {
        if (token.closed) return Outcome.CLOSED;
        Packet packet = (Packet) token.ref;
        if (packet.preloaded) {                 // a waiting sender's packet
            Object message = packet.message;
            packet.setReady();
            return message;
        }
        packet.waitReady();                     // our own packet: the sender is writing
        return packet.message;
    }

    @Override
    public void register(boolean send, Operation operation, Context context) {
        registerReady(send, operation, context);
    }

    @Override
    public void unregister(boolean send, Operation operation) {
        lock.lock();
        try {
            (send ? senders : receivers).unregister(operation);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isReady(boolean send) {
        lock.lock();
        try {
            return readyLocked(send);
        } finally {
            lock.unlock();
        }
    }

    @GuardedBy("lock")
    private boolean readyLocked(boolean send) {
        return closed || (send ? receivers : senders).canSelect();
    }

    @Override
    public boolean registerReady(boolean send, Operation operation, Context context) {
        operation.packet = new Packet(send ? operation.message : null, context);
        lock.lock();
        try {
            (send ? senders : receivers).register(operation, context);
            return readyLocked(send);                                   // one lock for both steps
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean close() {
        lock.lock();
        try {
            if (closed) return false;
            closed = true;                      // keeps I2
            senders.disconnect();
            receivers.disconnect();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Never blocks (issue 12): a monitor must not hang behind a stuck lock holder. */
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

    /** A snapshot that never blocks (Waker.size is readable without the lock). */
    @Override
    public int registrations() {
        return senders.size() + receivers.size();
    }
}
