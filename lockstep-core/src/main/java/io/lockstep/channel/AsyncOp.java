package io.lockstep.channel;

import io.lockstep.channel.waiting.Context;
import io.lockstep.channel.flavors.Flavor;
import io.lockstep.channel.waiting.Operation;
import io.lockstep.channel.flavors.Outcome;
import io.lockstep.channel.waiting.Selected;
import io.lockstep.channel.flavors.Token;
import io.lockstep.internal.Deadline;
import io.lockstep.park.gate.Gate;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
     * No thread waits for a pending operation. The operation is a one-case select run in
     * steps: try; if that fails, register a callback Operation (its own Context) and return.
     * Whoever selects it (a partner, close, the timer of a timer flavor) runs its callback, which only
     * starts a short-lived virtual thread for the next step (the selector may hold a channel's
     * lock, and the user's continuations must not run inside someone else's send); that step
     * unregisters, accepts or tries again, and either completes the future or registers anew.
     * Cancellation races with completion at exactly two points, and the state word decides both:
     *
     *   state        meaning                              who moves it
     *   BUSY         a step is trying/completing;          the step
     *                withdrawals wait
     *   WAITING      registered on `context`               a step: BUSY -> WAITING; the next step
     *                                                      or a withdrawal leaves it
     *   CANCELLING   a withdrawal is trying to abort       withdraw: WAITING -> CANCELLING -> ...
     *                `context`
     *   CANCELLED    withdrawn, registration removed       withdraw, after winning the context
     *   DONE         completed (the message moved)         a step
     *
     * Invariants:
     *   I1  A reservation (startSend/startRecv/accept) is made only in BUSY, so a message is
     *       never taken for a withdrawn future.
     *   I2  A withdrawal succeeds only by winning the context's selection (Selected.ABORTED)
     *       while WAITING: a partner that selected the context first (a rendezvous commitment)
     *       wins, and the next step, already started by the partner, completes the operation.
     *       The withdrawing thread removes the registration itself.
     *   I3  The user's completions (complete, completeExceptionally, and through them orTimeout
     *       and completeOnTimeout) withdraw first and take effect only if that succeeded; if the
     *       message moved, the future already holds its outcome and theirs returns false. So a
     *       timed-out receive never swallows a message.
     *   I4  `context` and `operation` are written before the volatile write of WAITING, and read
     *       only after reading WAITING (the next step's or a withdrawal's CAS).
     *   I5  A selected context always gets its step: whoever selects it runs the callback.
     * Waiting for another thread's step (issue 12): a withdrawal waits while a step is in flight
     *   (BUSY, or WAITING on a context already selected, whose step is on its way) or another
     *   withdrawal is (CANCELLING); a step waits while the previous step is still between
     *   registering and publishing WAITING (BUSY) or a withdrawal is in flight (CANCELLING).
     *   Both wait on `moved` (a Gate: a short bounded spin with CPU hints, then a park
     *   in the ParkingLot), and every move out of BUSY or CANCELLING calls moved.wakeAll() after
     *   its volatile write: the Gate's Dekker pairing (parked bit vs. state) loses no
     *   wake-up. Never spin or yield unboundedly here: the step may be a virtual thread that
     *   needs the very carrier the waiter would hold (with every carrier spinning, it never ran).
     * Timeouts: orTimeout/completeOnTimeout are overridden. The JDK runs their action on the
     *   common pool's delay-scheduler thread, the one thread behind every CompletableFuture
     *   timeout and delayed task in the JVM; a withdrawal may wait (above), so the action here
     *   only starts a virtual thread that withdraws. The timer is a plain CompletableFuture
     *   with the JDK's own orTimeout, completed when this one is, so the JDK cancels the
     *   scheduled task and an operation that finishes early leaves nothing in the timer queue.
     * Callbacks: dependent stages run in the thread that completes the future: a resume's own
     *   fresh virtual thread (so a chain of operations whose callbacks trigger each other never
     *   grows a stack), or, for an operation that completes at once, the caller of
     *   sendAsync/recvAsync before the future is returned (no stage is attached yet), or the
     *   thread that cancels/completes it.
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
    private final Token token = new Token();   // used only in BUSY
    private final Gate moved = new Gate();   // a move out of BUSY or CANCELLING
    private volatile int state = BUSY;
    private Operation operation;          // the current wait, its own context (I4)

    @SuppressWarnings("unchecked")
    private AsyncOp(Flavor<?> flavor, boolean send, Object message) {
        this.flavor = (Flavor<Object>) flavor;
        this.send = send;
        this.message = message;
    }

    /** Starts the operation on the calling thread: done, or registered and WAITING. */
    static <T> CompletableFuture<T> start(Flavor<?> flavor, boolean send, Object message) {
        AsyncOp<T> op = new AsyncOp<>(flavor, send, message);
        op.step();
        return op;
    }

    /** In BUSY: completes the operation, or registers a callback wait and leaves in WAITING. */
    private void step() {
        for (;;) {
            if ((send ? flavor.startSend(token) : flavor.startRecv(token)) && finish(token)) return;  // I1
            Operation op = Operation.callback(send ? message : null, this::onSelected);
            if (flavor.registerReady(send, op, op) && op.trySelect(Selected.ABORTED)) {  // raced a partner: again
                flavor.unregister(send, op);
                continue;
            }
            long readyAt = send ? Deadline.NONE : flavor.readyAt();
            if (readyAt != Deadline.NONE) wakeAt(readyAt, op);
            operation = op;
            moveTo(WAITING);                                                // publishes I4
            return;
        }
    }

    /** A timer flavor's message is due at {@code deadline}: end the wait then, if still waiting. */
    private static void wakeAt(long deadline, Context cx) {
        long delay = Math.max(0, Deadline.remaining(deadline));
        CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS).execute(() -> {
            if (cx.trySelect(Selected.TIMED_OUT)) cx.unpark();
        });
    }

    /** Runs {@code task} on a fresh virtual thread: never blocks the caller, never nests its stack. */
    private static void spawn(Runnable task) {
        Thread.ofVirtual().name("lockstep-channel-async").start(task);
    }

    /** The context's callback: runs in the selector's thread, so it only hands the step on (I5). */
    private void onSelected() {
        spawn(this::resume);
    }

    /** The step after a selection: unregister, accept or try again. */
    private void resume() {
        if (!reclaim()) return;                                             // withdrawn
        Operation op = operation;
        Object sel = op.selected();
        if (sel != op) flavor.unregister(send, op);
        if (sel == op && flavor.accept(send, token, op) && finish(token)) return;
        step();
    }

    /**
     * WAITING -> BUSY after a selection; false if a withdrawal won (I2). Waits out the step
     * that registered (still BUSY) or a withdrawal in flight (CANCELLING).
     */
    private boolean reclaim() {
        for (;;) {
            if (STATE.compareAndSet(this, WAITING, BUSY)) return true;
            if (state == CANCELLED) return false;
            moved.await(() -> {
                int s = state;
                return s == WAITING || s == CANCELLED;
            }, Deadline.NONE, false);
        }
    }

    /** Leaves BUSY or CANCELLING for {@code s}, waking whoever waits for that (see the notes). */
    private void moveTo(int s) {
        state = s;
        moved.wakeAll();
    }

    /**
     * Completes a reserved operation; false if the reserved message was removed through the
     * queue view and nothing else was buffered (still BUSY: the caller goes round).
     */
    @SuppressWarnings("unchecked")
    private boolean finish(Token token) {
        Object m = null;
        if (!send && (m = flavor.read(token)) == Outcome.EMPTY) return false;
        state = DONE;                       // before the stages run: one that cancels must not wait
        try {
            if (send) {
                if (flavor.write(token, message)) super.complete(null);
                else super.completeExceptionally(new ChannelClosedException(message));
            } else if (m == Outcome.CLOSED) {
                super.completeExceptionally(new ChannelClosedException(null));
            } else {
                super.complete((T) m);
            }
        } finally {
            moved.wakeAll();
        }
        return true;
    }

    /**
     * Withdraws the operation if it has not taken place; returns false if it has (or is
     * committed to and will complete). May wait, parked, for a step in flight to end.
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
     * As {@link CompletableFuture#orTimeout}; the withdrawal runs on a virtual thread of its
     * own, never on the JDK's timer thread (see the notes).
     */
    @Override
    public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
        afterTimeout(timeout, unit, () -> completeExceptionally(new TimeoutException()));
        return this;
    }

    /**
     * As {@link CompletableFuture#completeOnTimeout}; the withdrawal runs on a virtual thread of
     * its own, never on the JDK's timer thread (see the notes).
     */
    @Override
    public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
        afterTimeout(timeout, unit, () -> complete(value));
        return this;
    }

    private void afterTimeout(long timeout, TimeUnit unit, Runnable onTimeout) {
        Objects.requireNonNull(unit, "unit");
        if (isDone()) return;
        CompletableFuture<Void> timer = new CompletableFuture<Void>().orTimeout(timeout, unit);
        timer.whenComplete((v, e) -> {
            if (e != null) spawn(onTimeout);                    // on the timer thread: only hand on
        });
        whenComplete((v, e) -> timer.complete(null));           // the JDK then cancels the timer task
    }

    /**
     * Withdraws the operation: true if it was withdrawn (now or by an earlier call), false if
     * it took place or is committed to. Nothing has moved when it returns true (I1, I2).
     */
    private boolean withdraw() {
        for (;;) {
            int s = state;
            if (s == DONE) return false;
            if (s == CANCELLED) return true;
            if (s == WAITING && operation.selected() == null && STATE.compareAndSet(this, WAITING, CANCELLING)) {
                boolean won = operation.trySelect(Selected.ABORTED);              // keeps I2
                if (won) flavor.unregister(send, operation);
                moveTo(won ? CANCELLED : WAITING);          // lost: the step is on its way (I5)
                if (won) return true;
                continue;
            }
            moved.await(() -> {
                int t = state;
                return t == DONE || t == CANCELLED || t == WAITING && operation.selected() == null;
            }, Deadline.NONE, false);
        }
    }
}
