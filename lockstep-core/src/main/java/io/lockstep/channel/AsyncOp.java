package io.lockstep.channel;

import io.lockstep.channel.flavors.Context;
import io.lockstep.channel.flavors.Flavor;
import io.lockstep.channel.flavors.Operation;
import io.lockstep.channel.flavors.Outcome;
import io.lockstep.channel.flavors.Selected;
import io.lockstep.channel.flavors.Token;
import io.lockstep.internal.Deadline;
import io.lockstep.park.SpinWait;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * A pending {@code sendAsync}/{@code recvAsync}: a future whose {@link #cancel} — or any
 * completion by its user: {@code complete}, {@code completeExceptionally}, {@code orTimeout},
 * {@code completeOnTimeout} — withdraws the operation without losing or duplicating a message.
 *
 * @param <T> the future's value type
 */
final class AsyncOp<T> extends CompletableFuture<T> {
    /*
     * Implementation notes.
     *
     * The operation runs in a virtual thread as a one-case select: try, register, park, go
     * round. Cancellation races with completion at exactly two points, and the state word
     * decides both:
     *
     *   state        meaning                              who moves it
     *   BUSY         the virtual thread is trying/         the virtual thread
     *                completing; cancel waits
     *   WAITING      registered, parked on `context`       VT: BUSY -> WAITING; VT or cancel leave it
     *   CANCELLING   a withdrawal is trying to abort       withdraw: WAITING -> CANCELLING -> ...
     *                `context`
     *   CANCELLED    withdrawn; the VT exits               withdraw, after winning the context
     *   DONE         completed (the message moved)         the virtual thread
     *
     * Invariants:
     *   I1  A reservation (startSend/startRecv/accept) is made only in BUSY, so a message is
     *       never taken for a cancelled future.
     *   I2  A withdrawal succeeds only by winning the context's selection (Selected.ABORTED)
     *       while WAITING: a partner that selected the context first (a rendezvous commitment)
     *       wins, the withdrawal then returns to WAITING and the VT completes the operation.
     *   I3  The user's completions (complete, completeExceptionally, and through them orTimeout
     *       and completeOnTimeout) withdraw first and take effect only if that succeeded; if the
     *       message moved, the future already holds its outcome and theirs returns false. So a
     *       timed-out receive never swallows a message.
     * Progress: a withdrawal waits out BUSY, a window of non-blocking steps (try, or complete a
     *   selected rendezvous), with bounded spinning and then yielding.
     * Tried and rejected: completing from the waker's thread (no virtual thread per pending
     *   future). It runs user continuations inside another thread's send and needs a second
     *   completion path in every flavor; kept simple until a benchmark asks for it.
     * Not covered: obtrudeValue/obtrudeException, which by contract overwrite regardless.
     */
    private static final int BUSY = 0, WAITING = 1, CANCELLING = 2, CANCELLED = 3, DONE = 4;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AsyncOp.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Flavor<Object> flavor;
    private final boolean send;
    private final Object message;         // the message of a send, null for a receive
    private volatile int state = BUSY;
    private volatile Context context;     // the current wait; written by the VT before WAITING

    @SuppressWarnings("unchecked")
    private AsyncOp(Flavor<?> flavor, boolean send, Object message) {
        this.flavor = (Flavor<Object>) flavor;
        this.send = send;
        this.message = message;
    }

    static <T> CompletableFuture<T> start(Flavor<?> flavor, boolean send, Object message) {
        AsyncOp<T> op = new AsyncOp<>(flavor, send, message);
        Thread.ofVirtual().name("lockstep-channel-async").start(op::run);
        return op;
    }

    private void run() {
        Token token = new Token();
        for (;;) {
            if ((send ? flavor.startSend(token) : flavor.startRecv(token)) && finish(token)) {  // BUSY (I1)
                return;
            }
            Context cx = new Context();
            Operation op = new Operation(send ? message : null);
            flavor.register(send, op, cx);
            if (flavor.isReady(send)) cx.trySelect(Selected.ABORTED);
            context = cx;
            state = WAITING;
            Object sel = cx.await(send ? Deadline.NONE : flavor.readyAt(), false);
            if (sel != op) flavor.unregister(send, op);
            if (!reclaim()) return;                                               // cancelled
            if (sel == op && flavor.accept(send, token, op) && finish(token)) return;
        }
    }

    /** WAITING -> BUSY after a wake-up; false if cancel won (I2). */
    private boolean reclaim() {
        SpinWait spin = new SpinWait();
        for (;;) {
            if (STATE.compareAndSet(this, WAITING, BUSY)) return true;
            if (state == CANCELLED) return false;
            if (!spin.spin()) Thread.yield();                                     // CANCELLING: brief
        }
    }

    /**
     * Completes a reserved operation; false if the reserved message was removed through the
     * queue view and nothing else was buffered (still BUSY: the caller goes round).
     */
    @SuppressWarnings("unchecked")
    private boolean finish(Token token) {
        if (send) {
            state = DONE;
            if (flavor.write(token, message)) super.complete(null);
            else super.completeExceptionally(new ChannelClosedException(message));
            return true;
        }
        Object m = flavor.read(token);
        if (m == Outcome.EMPTY) return false;
        state = DONE;
        if (m == Outcome.CLOSED) super.completeExceptionally(new ChannelClosedException(null));
        else super.complete((T) m);
        return true;
    }

    /**
     * Withdraws the operation if it has not taken place; returns false if it has (or is
     * committed to and will complete).
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return withdraw() && super.cancel(mayInterruptIfRunning);
    }

    /** Completes with {@code value} only if the operation could be withdrawn first (I3). */
    @Override
    public boolean complete(T value) {
        return withdraw() && super.complete(value);
    }

    /** Completes with {@code ex} only if the operation could be withdrawn first (I3). */
    @Override
    public boolean completeExceptionally(Throwable ex) {
        return withdraw() && super.completeExceptionally(ex);
    }

    /**
     * Withdraws the operation: true if it was withdrawn (now or by an earlier call), false if
     * it took place or is committed to. Nothing has moved when it returns true (I1, I2).
     */
    private boolean withdraw() {
        SpinWait spin = new SpinWait();
        for (;;) {
            switch (state) {
                case DONE -> { return false; }
                case CANCELLED -> { return true; }
                case WAITING -> {
                    if (STATE.compareAndSet(this, WAITING, CANCELLING)) {
                        Context cx = context;
                        if (cx.trySelect(Selected.ABORTED)) {                    // keeps I2
                            state = CANCELLED;
                            cx.unpark();
                            return true;
                        }
                        state = WAITING;                  // selected first: the VT carries on
                    }
                }
                default -> { }
            }
            if (!spin.spin()) Thread.yield();
        }
    }
}
