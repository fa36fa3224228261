package io.lockstep.channel.flavors;

/**
 * One registration of a waiting thread with one side of one channel: its identity is what a
 * {@link Context} is selected with (crossbeam uses a stack address; a fresh object plays that
 * role here). A send carries its message so a rendezvous partner can take it directly.
 */
public final class Operation {
    final Object message;    // the message of a send, null for a receive; immutable
    Packet packet;           // rendezvous only: written by ZeroFlavor.register before the
                             // registration is published (under its lock), read after selection
    // Registration (Waker): the operation is its own node in one waker's list; under its lock.
    Context context;         // the wait it belongs to, set by Waker.register
    Operation prev, next;
    boolean registered;

    /** A receive registration. */
    public Operation() {
        this(null);
    }

    /** A send registration carrying {@code message} (null for a receive). */
    public Operation(Object message) {
        this.message = message;
    }
}
