package io.lockstep.observe;

import java.io.Serial;

/**
 * The error a subscriber with {@link Overflow#FAIL_SUBSCRIBER} receives when an event finds its
 * buffer full.
 */
public final class OverflowException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** An overflow of a buffer of {@code capacity} events. */
    public OverflowException(int capacity) {
        super("subscriber's buffer of " + capacity + " events overflowed");
    }
}
