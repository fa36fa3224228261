package io.lockstep.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The handle counts of one {@link Channel#split() split} channel: how many {@link SenderHandle}s
 * and {@link ReceiverHandle}s are open. The first count to reach zero closes the channel
 * (crossbeam's disconnection), and a count at zero never rises again.
 */
final class Connections {
    /*
     * Implementation notes.
     *
     * Based on: crossbeam-channel's counter.rs (a sender count and a receiver count per channel;
     * the last release disconnects). Disconnection is the channel's close(), whichever side it
     * comes from: close already fails later sends (handing the message back), lets receivers drain
     * what is buffered, and wakes every waiter, which is what both disconnections need. Buffered
     * messages are not discarded when the last receiver goes (crossbeam drops them to run their
     * destructors; here they go with the channel).
     * retain() increments only a count above zero: an open handle contributes one to its count, so
     * a count at zero means the handle being cloned was closed concurrently (the clone then
     * linearizes after that close and fails) and nothing can revive a disconnected side.
     */
    private static final VarHandle SENDERS, RECEIVERS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SENDERS = l.findVarHandle(Connections.class, "senders", int.class);
            RECEIVERS = l.findVarHandle(Connections.class, "receivers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Channel<?> channel;
    private volatile int senders = 1;
    private volatile int receivers = 1;

    Connections(Channel<?> channel) {
        this.channel = channel;
    }

    /** Counts one more handle on that side; false if that side's count is already zero. */
    boolean retain(boolean sender) {
        VarHandle count = sender ? SENDERS : RECEIVERS;
        for (int n = (int) count.getVolatile(this); n > 0; n = (int) count.getVolatile(this)) {
            if (count.compareAndSet(this, n, n + 1)) return true;
        }
        return false;
    }

    /** Counts one handle fewer on that side; the last one closes the channel. */
    void release(boolean sender) {
        if ((int) (sender ? SENDERS : RECEIVERS).getAndAdd(this, -1) == 1) channel.close();
    }

    /** Open handles on that side now (a snapshot). */
    int count(boolean sender) {
        return sender ? senders : receivers;
    }
}
