package io.lockstep.channel.flavors;

import io.lockstep.channel.waiting.Context;
import io.lockstep.channel.waiting.Operation;
import io.lockstep.channel.waiting.SyncWaker;
import io.lockstep.internal.Completions;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * The flavor behind {@code Oneshot}: one value, set once, which every receive then sees (a
 * promise; receiving does not consume). Closing without a value is final too.
 *
 * @param <T> the value type
 */
public final class OneshotFlavor<T> extends Flavor<T> {
    /*
     * Implementation notes.
     *
     * Based on: a write-once cell (Go's "close a channel to broadcast", tokio's oneshot) shaped
     * as a Flavor so that Select can wait on it with the same register/await/accept protocol as
     * on any channel. Differences from tokio's oneshot: the value is not moved out, so any
     * number of threads may await it, and each sees the same value.
     *
     * State:
     *   value    null         pending
     *            VOID         closed without a value
     *            a message    completed
     * Invariants:
     *   I1  value changes once, from null, by CAS (write or close); receives never change it.
     *   I2  After the CAS that settles value, the settler releases every registered receiver
     *       (SyncWaker.disconnect: a buffered-style hint, so each retries startRecv and finds
     *       the value) and settles the shared future if one was made.
     *   I3  The shared future is completed through Completions (a per-thread trampoline), outside
     *       any lock: its stages run users' callbacks, which may settle the next oneshot of a
     *       chain; completed directly, each link would nest one more completion on the stack.
     * No lost wake-up: a receiver registers (under the waker's lock) and then re-checks value
     *   (isReady); the settler CASes value and then takes the same lock to release. Either the
     *   receiver sees value, or its registration is found. The future: recvAsync publishes
     *   `future` (CAS) and then reads value; the settler writes value and then reads future;
     *   both volatile, so at least one of them settles the future (completing twice is a no-op).
     * Memory ordering: the CAS publishes the message; every receive reads value (volatile).
     * Tried and rejected: a ZeroFlavor/ArrayFlavor of capacity 1 closed after one send. It
     *   hands the value to one receiver only, and a promise must show it to all of them.
     */
    private static final Object VOID = new Object();      // the "closed without a value" mark
    private static final VarHandle VALUE, FUTURE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            VALUE = l.findVarHandle(OneshotFlavor.class, "value", Object.class);
            FUTURE = l.findVarHandle(OneshotFlavor.class, "future", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Object value;                         // I1
    private volatile CompletableFuture<Object> future;     // made on the first recvAsync, then fixed
    private final SyncWaker receivers = new SyncWaker();

    /** A pending oneshot. */
    public OneshotFlavor() {}

    @Override
    boolean spins(boolean send) {
        return false;                                      // a promise is rarely settled within a spin
    }

    @Override
    public boolean startSend(Token token) {
        if (value != null) token.reserveClosed();
        else token.reserve(0, 0, null);
        return true;                                       // a send never waits
    }

    @Override
    public boolean write(Token token, T message) {
        if (token.closed || !VALUE.compareAndSet(this, null, message)) return false;   // I1
        settled();
        return true;
    }

    @Override
    public boolean startRecv(Token token) {
        Object v = value;
        if (v == null) return false;
        if (v == VOID) token.reserveClosed();
        else token.reserve(0, 0, v);
        return true;
    }

    @Override
    public Object read(Token token) {
        return token.closed ? Outcome.CLOSED : token.ref;
    }

    @Override
    public void register(boolean send, Operation operation, Context context) {
        if (!send) receivers.register(operation, context);  // a send never waits: nothing to register
    }

    @Override
    public void unregister(boolean send, Operation operation) {
        if (!send) receivers.unregister(operation);
    }

    @Override
    public boolean isReady(boolean send) {
        return send || value != null;
    }

    @Override
    public boolean close() {
        if (!VALUE.compareAndSet(this, null, VOID)) return false;                       // I1
        settled();
        return true;
    }

    /** Whether the oneshot holds a value or was closed without one. */
    @Override
    public boolean isClosed() {
        return value != null;
    }

    /** Whether it was closed without a value. */
    public boolean isVoid() {
        return value == VOID;
    }

    @Override
    public int size() {
        Object v = value;
        return v != null && v != VOID ? 1 : 0;
    }

    @Override
    public int capacity() {
        return 1;
    }

    @Override
    public int registrations() {
        return receivers.size();
    }

    /**
     * The shared future of the oneshot: completed with the value, or with {@link Outcome#CLOSED}
     * if closed without one. Callers hand out dependent futures, so that cancelling one affects
     * nobody else.
     */
    public CompletableFuture<Object> future() {
        CompletableFuture<Object> f = future;
        if (f == null) {
            CompletableFuture<Object> made = new CompletableFuture<>();
            f = FUTURE.compareAndSet(this, null, made) ? made : future;
        }
        settle(f);                                          // the value may have come first
        return f;
    }

    private void settled() {
        receivers.disconnect();                             // keeps I2: every receiver retries
        CompletableFuture<Object> f = future;
        if (f != null) settle(f);
    }

    /** Completes the shared future iteratively: its stages may settle other oneshots (I3). */
    private void settle(CompletableFuture<Object> f) {
        Object v = value;
        if (v != null && !f.isDone()) Completions.complete(f, v == VOID ? Outcome.CLOSED : v);
    }
}
