package io.lockstep.channel.flavors;

import io.lockstep.internal.Deadline;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers one message at a deadline, then reports itself closed (crossbeam's {@code at}).
 * Differences from crossbeam and Go's {@code time.After}: after its one message the channel is
 * closed rather than silent forever, so iterating over it ends.
 */
public final class AtFlavor extends TimerFlavor {
    private final long deliveryNanos;
    private final AtomicBoolean delivered = new AtomicBoolean();

    /** Delivers at {@code deliveryNanos} (an absolute {@link System#nanoTime()} deadline). */
    public AtFlavor(long deliveryNanos) {
        this.deliveryNanos = deliveryNanos;
    }

    @Override
    public boolean startRecv(Token token) {
        if (delivered.get()) {
            token.reserveClosed();
            return true;
        }
        if (!Deadline.expired(deliveryNanos)) return false;
        if (delivered.compareAndSet(false, true)) token.reserve(0, 0, null);
        else token.reserveClosed();
        return true;
    }

    @Override
    public long readyAt() {
        return deliveryNanos;
    }

    @Override
    public boolean isReady(boolean send) {
        return delivered.get() || Deadline.expired(deliveryNanos);
    }

    @Override
    public boolean isClosed() {
        return delivered.get();
    }

    @Override
    public int size() {
        return isReady(false) && !delivered.get() ? 1 : 0;
    }
}
