package io.lockstep.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What a {@link SenderHandle} or {@link ReceiverHandle} adds to the channel: its place in the
 * channel's {@link Connections}, and whether it has been closed. Closing is idempotent; a closed
 * handle refuses use and cloning with {@link IllegalStateException}.
 */
final class Handle {
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(Handle.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Connections connections;
    private final boolean sender;
    private volatile boolean closed;

    /** A handle already counted in {@code connections}. */
    Handle(Connections connections, boolean sender) {
        this.connections = connections;
        this.sender = sender;
    }

    /** Throws unless this handle is open; the channel may still be closed. */
    void checkOpen() {
        if (closed) throw new IllegalStateException(side() + " handle is closed");
    }

    /** A new counted handle on the same side. */
    Handle copy() {
        checkOpen();
        if (!connections.retain(sender)) throw new IllegalStateException(side() + " handle is closed");
        return new Handle(connections, sender);
    }

    /** Closes this handle, and the channel if it was the last on its side; true if this call closed it. */
    boolean close() {
        if (closed || !CLOSED.compareAndSet(this, false, true)) return false;
        connections.release(sender);
        return true;
    }

    boolean isClosed() {
        return closed;
    }

    private String side() {
        return sender ? "sender" : "receiver";
    }
}
