package io.lockstep.channel.waiting;

import java.util.Objects;

/**
 * One registration of a waiting thread with one side of one channel: its identity is what a
 * {@link Context} is selected with (crossbeam uses a stack address; a fresh object plays that
 * role here). A send carries its message so a rendezvous partner can take it directly; a
 * rendezvous receive gets its message in {@code item}.
 *
 * <p>An operation made by {@link #waiting} is also the calling thread's wait (its own
 * {@link Context}): a single-registration wait allocates nothing else.
 */
public final class Operation extends Context {
    final Object message;    // the message of a send, null for a receive; immutable
    volatile Object item;    // rendezvous receive: the message its partner writes after selecting it
    // Registration: the operation is its own node in one list, a Waker's (under its lock) or a
    // rendezvous WaitQueue's (lock-free, next only).
    Context context;         // the wait it belongs to, set by Waker.register / WaitQueue.enqueue
    Operation prev, next;
    boolean registered;

    /** A receive registration. */
    public Operation() {
        this(null);
    }

    /** A send registration carrying {@code message} (null for a receive); not a wait itself. */
    public Operation(Object message) {
        super(null, null);
        this.message = message;
    }

    private Operation(Object message, Thread waiter, Runnable onSelected) {
        super(waiter, onSelected);
        this.message = message;
    }

    /**
     * A registration carrying {@code message} (null for a receive) that is also the current
     * thread's wait: register it with itself as the context, then {@link #await} it.
     */
    public static Operation waiting(Object message) {
        return new Operation(message, Thread.currentThread(), null);
    }

    /**
     * A registration carrying {@code message} (null for a receive) that is also a wait no thread
     * parks for: whoever wins its selection runs {@code onSelected} (in {@link #unpark}),
     * possibly while holding a channel's lock, so it must only hand the work on (to another
     * thread) and return. No thread owns it, so it pairs with any thread's operations; never
     * {@link #await} it.
     */
    public static Operation callback(Object message, Runnable onSelected) {
        return new Operation(message, null, Objects.requireNonNull(onSelected, "onSelected"));
    }

    /** Rendezvous: gives this claimed receive its message, then wakes its waiter (the write first). */
    public void deliver(Object message) {
        item = message;
        context.unpark();
    }

    /** Rendezvous: takes this claimed send's message and releases its waiter. */
    public Object take() {
        Object m = message;
        context.unpark();
        return m;
    }

    /**
     * Rendezvous, in this receive's own blocking loop after a sender selected it: the message the
     * sender writes after claiming, waited for briefly if it is not there yet (Context.awaitItem).
     */
    public Object awaitItem(Object blocker) {
        Object m = item;
        return m != null ? m : context.awaitItem(this, blocker);
    }
}
