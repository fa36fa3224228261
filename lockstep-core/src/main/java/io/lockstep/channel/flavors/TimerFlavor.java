package io.lockstep.channel.flavors;

import io.lockstep.channel.waiting.Context;
import io.lockstep.channel.waiting.Operation;
import java.time.Instant;

/**
 * Base of the receive-only flavors made by time ({@link AtFlavor}, {@link TickFlavor},
 * {@link NeverFlavor}): nobody sends, so nobody registers to be woken; a waiter parks until
 * {@link #readyAt()} instead. Their messages are the {@link Instant} of delivery.
 */
abstract class TimerFlavor extends Flavor<Instant> {
    @Override
    public final boolean startSend(Token token) {
        throw new UnsupportedOperationException("a timer channel has no senders");
    }

    @Override
    public final boolean write(Token token, Instant message) {
        throw new UnsupportedOperationException("a timer channel has no senders");
    }

    @Override
    public final Object read(Token token) {
        return token.closed ? Outcome.CLOSED : Instant.now();
    }

    @Override
    public final void register(boolean send, Operation operation, Context context) {
        if (send) throw new UnsupportedOperationException("a timer channel has no senders");
    }

    @Override
    public final void unregister(boolean send, Operation operation) {}

    @Override
    public final boolean close() {
        return false;
    }

    @Override
    public final int capacity() {
        return 0;
    }

    @Override
    public final int registrations() {
        return 0;
    }
}
