package io.lockstep.channel.flavors;

import io.lockstep.internal.Deadline;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers a message every period, never closing (crossbeam's {@code tick}). Ticks are not
 * buffered: a slow receiver gets the next one a period after it took the last, as crossbeam's.
 */
public final class TickFlavor extends TimerFlavor {
    private final long periodNanos;
    private final AtomicLong next;      // the next delivery (a Deadline: NONE for a huge period); CAS by receivers

    /** Ticks every {@code periodNanos} (positive, saturating), the first one a period from now. */
    public TickFlavor(long periodNanos) {
        if (periodNanos <= 0) throw new IllegalArgumentException("period must be positive");
        this.periodNanos = periodNanos;
        this.next = new AtomicLong(Deadline.afterNanos(periodNanos));
    }

    @Override
    public boolean startRecv(Token token) {
        for (;;) {
            long due = next.get();
            if (!Deadline.expired(due)) return false;
            if (next.compareAndSet(due, Deadline.afterNanos(periodNanos))) {
                token.reserve(0, 0, null);
                return true;
            }
        }
    }

    @Override
    public long readyAt() {
        return next.get();
    }

    @Override
    public boolean isReady(boolean send) {
        return Deadline.expired(next.get());
    }

    @Override
    public boolean isClosed() {
        return false;
    }

    @Override
    public int size() {
        return isReady(false) ? 1 : 0;
    }
}
