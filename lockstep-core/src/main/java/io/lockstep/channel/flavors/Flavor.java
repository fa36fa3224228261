package io.lockstep.channel.flavors;

import io.lockstep.channel.waiting.Context;
import io.lockstep.channel.waiting.Operation;
import io.lockstep.channel.waiting.Selected;
import io.lockstep.internal.Deadline;
import io.lockstep.internal.WaitOutcome;
import io.lockstep.internal.jfr.ChannelWaitEvent;
import io.lockstep.internal.jfr.Jfr;
import io.lockstep.park.SpinWait;
import java.util.List;
import java.util.function.Predicate;

/**
 * One channel algorithm (crossbeam's flavors). Every flavor works in two phases, so that
 * {@code Select} can reserve an operation before committing to it: {@link #startSend} /
 * {@link #startRecv} reserve a slot into a {@link Token} (or report the channel closed), then
 * {@link #write} / {@link #read} complete it. Waiting is uniform too: {@link #registerReady}
 * (register a {@link Context}, then re-check readiness), {@link Context#await}, {@link #unregister}, and
 * after being selected, {@link #accept}.
 *
 * <p>The blocking operations are written once, here, on top of those hooks.
 *
 * @param <T> the message type
 */
public abstract class Flavor<T> {
    /*
     * Implementation notes.
     * Blocking loop (crossbeam's Channel::send/recv): try (with a short spin for buffered
     * flavors, whose partner frees a slot within nanoseconds, on platform threads only: see
     * Context on why a virtual thread parks at once); if the deadline has passed,
     * time out; otherwise register a fresh Operation that is its own Context (one object per
     * wait), re-check readiness (a partner may have acted
     * between the try and the registration: the SyncWaker note explains why this suffices),
     * park, unregister, and go round. Being selected by a partner is only a hint to retry for
     * the buffered flavors; for the rendezvous it is a commitment, which accept() honours
     * (the blocking loop takes the shortcut completeSelected, which needs no Token).
     * A timeout always gets one last try after the deadline, so a message that arrived at the
     * last moment is not reported as a timeout.
     *
     * Interior removal (the queue view's remove(Object), removeIf, Iterator.remove) marks a
     * buffered message removed (SlotRing marks the slot's stamp, ListFlavor the slot itself);
     * the receiver that reserves a marked slot frees it and reserves the next one, and read()
     * reports EMPTY when there is none, so every caller of read() treats EMPTY as "not ready".
     * SlotRing's and ListFlavor's notes give the protocol.
     */

    /** The channel this flavor is under: its waiters' park blocker; the flavor itself if none. */
    private Object owner = this;

    /**
     * Records the channel this flavor is under, before the channel is published (its final
     * field publishes this write), so that waiting threads show the channel as their park
     * blocker and events name it.
     */
    public final void owner(Object channel) {
        owner = channel;
    }

    /** The channel this flavor is under (see {@link #owner(Object)}). */
    public final Object owner() {
        return owner;
    }

    /** Reserves a send slot; true if reserved or found closed ({@code token.closed}). */
    public abstract boolean startSend(Token token);

    /** Completes a reserved send; false if the reservation found the channel closed. */
    public abstract boolean write(Token token, T message);

    /** Reserves a message; true if reserved or found closed and drained. */
    public abstract boolean startRecv(Token token);

    /**
     * Completes a reserved receive: the message, {@link Outcome#CLOSED}, or {@link Outcome#EMPTY}
     * if the reserved message had been removed through {@link #removeIf} and nothing else was
     * buffered (the caller treats that as "not ready" and goes round).
     */
    public abstract Object read(Token token);

    /** Registers a waiting {@code operation} on the send or receive side. */
    public abstract void register(boolean send, Operation operation, Context context);

    /** Removes a registration, if still present. */
    public abstract void unregister(boolean send, Operation operation);

    /** Whether an operation on that side could complete now, or the channel is closed. */
    public abstract boolean isReady(boolean send);

    /**
     * Registers, then re-checks readiness ({@link #isReady} after {@link #register}, the order
     * that prevents a lost wake-up); a flavor whose both steps take one lock does them under one
     * acquisition.
     */
    public boolean registerReady(boolean send, Operation operation, Context context) {
        register(send, operation, context);
        return isReady(send);
    }

    /** Reserves after {@code operation} was selected; by default just tries again. */
    public boolean accept(boolean send, Token token, Operation operation) {
        return send ? startSend(token) : startRecv(token);
    }

    /**
     * Completes the blocking loop's {@code operation} after a partner selected it, where the
     * selection itself moved the message (a rendezvous): SENT for a send, the message for a
     * receive. Null where being selected is only a hint (the buffered flavors): the loop then
     * reserves through {@link #accept}.
     */
    Object completeSelected(boolean send, Operation operation) {
        return null;
    }

    /** When a receive becomes ready by itself (timers); {@link Deadline#NONE} otherwise. */
    public long readyAt() {
        return Deadline.NONE;
    }

    /**
     * Whether a blocking send ({@code send}) or receive whose try-operation failed retries it,
     * spinning briefly, before it registers and waits.
     */
    boolean spins(boolean send) {
        return true;
    }

    /**
     * Whether a platform thread's retries ({@link #spins}) yield once their CPU hints are spent
     * (SpinWait.spin rather than spinNoYield). On by default: in a buffered flavor the partner
     * that frees a slot or sends a message may be waiting for this core (ChannelBench bounded
     * 4P4C platform on 2 cores: 143-152 -> 117-120 ns per message, three alternating rounds).
     * The rendezvous turns it off: its receive polls for a sender about to register, and
     * yielding made 4P4C platform slower (2264 -> 2712 ns).
     */
    boolean spinYields() {
        return true;
    }

    /**
     * Whether a virtual thread spins too, here and in {@link Context#await} before it parks. Off
     * by default: a virtual thread's partner is often queued on the same carrier, where a spin
     * only delays it (ZeroFlavor's notes say when it pays).
     */
    boolean spinsVirtual() {
        return false;
    }

    /** Closes the channel; true if this call closed it. Wakes every waiter. */
    public abstract boolean close();

    /** Whether {@link #close} was called. */
    public abstract boolean isClosed();

    /** Messages buffered now (a snapshot). */
    public abstract int size();

    /** Buffer capacity; {@link Integer#MAX_VALUE} when unbounded, 0 for a rendezvous. */
    public abstract int capacity();

    /** Registrations currently present on both sides (for tests and monitoring). */
    public abstract int registrations();

    /**
     * Removes up to {@code limit} buffered messages that {@code filter} accepts, oldest first,
     * for the queue view's interior removal; returns how many. A rendezvous buffers nothing.
     */
    public int removeIf(Predicate<Object> filter, int limit) {
        return 0;
    }

    /**
     * Free slots now (a snapshot): 0 here, since a rendezvous buffers nothing; the buffered
     * flavors override it.
     */
    public int remainingCapacity() {
        return 0;
    }

    /**
     * The buffered messages, oldest first: a weakly consistent snapshot (exact when no operation
     * runs concurrently), for iteration and {@code peek} on the queue view.
     */
    public List<Object> snapshot() {
        return List.of();
    }

    // ---------------------------------------------------------------- operations

    /**
     * Sends without waiting: SENT, FULL or CLOSED. The blocking send starts here too, so a
     * flavor may override it with a path that allocates nothing.
     */
    public Outcome trySend(T message) {
        Token token = new Token();
        if (!startSend(token)) return Outcome.FULL;
        return write(token, message) ? Outcome.SENT : Outcome.CLOSED;
    }

    /**
     * Receives without waiting: the message, EMPTY or CLOSED. The blocking receive starts here
     * too, so a flavor may override it with a path that allocates nothing.
     */
    public Object tryRecv() {
        Token token = new Token();
        return startRecv(token) ? read(token) : Outcome.EMPTY;
    }

    /**
     * Sends, waiting until {@code deadlineNanos}: SENT, CLOSED, TIMED_OUT, or (if interruptible
     * and interrupted) INTERRUPTED, in which case the message was not sent.
     */
    public final Outcome send(T message, long deadlineNanos, boolean interruptible) {
        Outcome first = trySend(message);
        if (first != Outcome.FULL) return first;
        ChannelWaitEvent e = Jfr.channelWait();               // null unless JFR records it
        if (e == null) return sendWaiting(message, deadlineNanos, interruptible);
        Outcome o = sendWaiting(message, deadlineNanos, interruptible);
        e.end(owner, "send", outcome(o));
        return o;
    }

    /** A blocking send's or receive's result as a {@link WaitOutcome} code, for events (a message: done). */
    private static int outcome(Object result) {
        return result instanceof Outcome o ? o.waitOutcome() : WaitOutcome.DONE;
    }

    private Outcome sendWaiting(T message, long deadlineNanos, boolean interruptible) {
        Token token = null;                                    // made when first needed
        for (boolean retry = spins(true); ; retry = true) {   // trySend just failed: retry if spinning helps
            if (retry && tryWithSpin(true, token = token(token))) return write(token, message) ? Outcome.SENT : Outcome.CLOSED;
            if (Deadline.expired(deadlineNanos)) return Outcome.TIMED_OUT;
            Operation op = Operation.waiting(message);
            Object sel = await(true, op, deadlineNanos, interruptible);
            if (sel == op) {
                Object done = completeSelected(true, op);
                if (done != null) return (Outcome) done;
                if (accept(true, token = token(token), op)) return write(token, message) ? Outcome.SENT : Outcome.CLOSED;
            } else if (sel == Selected.INTERRUPTED) {
                return Outcome.INTERRUPTED;
            }
        }
    }

    /**
     * Receives, waiting until {@code deadlineNanos}: the message, CLOSED, TIMED_OUT, or (if
     * interruptible and interrupted) INTERRUPTED, in which case nothing was received.
     */
    public final Object recv(long deadlineNanos, boolean interruptible) {
        Object first = tryRecv();
        if (first != Outcome.EMPTY) return first;
        ChannelWaitEvent e = Jfr.channelWait();               // null unless JFR records it
        if (e == null) return recvWaiting(deadlineNanos, interruptible);
        Object m = recvWaiting(deadlineNanos, interruptible);
        e.end(owner, "recv", outcome(m));
        return m;
    }

    private Object recvWaiting(long deadlineNanos, boolean interruptible) {
        Token token = null;                                    // made when first needed
        for (boolean retry = spins(false); ; retry = true) {  // tryRecv just failed: retry if spinning helps
            Object m;
            if (retry && tryWithSpin(false, token = token(token)) && (m = read(token)) != Outcome.EMPTY) return m;
            if (Deadline.expired(deadlineNanos)) return Outcome.TIMED_OUT;
            Operation op = Operation.waiting(null);
            Object sel = await(false, op, deadlineNanos, interruptible);
            if (sel == op) {
                if ((m = completeSelected(false, op)) != null) return m;
                if (accept(false, token = token(token), op) && (m = read(token)) != Outcome.EMPTY) return m;
            } else if (sel == Selected.INTERRUPTED) {
                return Outcome.INTERRUPTED;
            }
        }
    }

    private static Token token(Token token) {
        return token != null ? token : new Token();
    }

    private boolean tryWithSpin(boolean send, Token token) {
        boolean virtual = Thread.currentThread().isVirtual(), yields = !virtual && spinYields();
        SpinWait spin = spins(send) && (spinsVirtual() || !virtual) ? new SpinWait() : null;
        do {
            if (send ? startSend(token) : startRecv(token)) return true;
        } while (spin != null && (yields ? spin.spin() : spin.spinNoYield()));
        return false;
    }

    /** Registers {@code op} as its own wait, re-checks, parks and unregisters; returns the selection. */
    private Object await(boolean send, Operation op, long deadlineNanos, boolean interruptible) {
        if (registerReady(send, op, op)) op.trySelect(Selected.ABORTED);
        Object sel = op.await(owner, Math.min(deadlineNanos, send ? Deadline.NONE : readyAt()), interruptible,
                spinsVirtual());
        if (sel != op) unregister(send, op);
        return sel;
    }
}
