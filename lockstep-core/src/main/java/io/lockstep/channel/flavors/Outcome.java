package io.lockstep.channel.flavors;

import io.lockstep.internal.WaitOutcome;


/**
 * What a flavor operation returns when it does not return a message: a receive returns either
 * the message or one of these (messages are never null and never an {@code Outcome}, which user
 * code cannot obtain), a send returns one of these.
 */
public enum Outcome {
    /** The message was handed over. */
    SENT,
    /** No room now (a try-send on a full channel, or a rendezvous with no receiver waiting). */
    FULL,
    /** Nothing to receive now. */
    EMPTY,
    /** The channel is closed (and, for a receive, drained). */
    CLOSED,
    /** The deadline passed first. */
    TIMED_OUT,
    /** An interruptible wait was interrupted first (the interrupt status cleared); nothing moved. */
    INTERRUPTED;

    /** This outcome of a blocking operation as a {@link WaitOutcome} code, for events. */
    int waitOutcome() {
        return switch (this) {
            case TIMED_OUT -> WaitOutcome.TIMED_OUT;
            case INTERRUPTED -> WaitOutcome.INTERRUPTED;
            case CLOSED -> WaitOutcome.CLOSED;
            default -> WaitOutcome.DONE;
        };
    }
}
