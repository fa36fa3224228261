package io.lockstep.channel;

/**
 * The channel is closed: a send was refused (and {@link #undelivered()} hands its message back),
 * or a receive found the channel closed and drained.
 *
 * <pre>{@code
 * try {
 *     channel.send(order);
 * } catch (ChannelClosedException e) {
 *     retryQueue.add((Order) e.undelivered());
 * }
 * }</pre>
 */
public final class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient Object undelivered;

    /** For a refused send of {@code undelivered}, or a receive when {@code undelivered} is null. */
    public ChannelClosedException(Object undelivered) {
        super(undelivered == null ? "channel closed" : "channel closed; message not sent");
        this.undelivered = undelivered;
    }

    /** The message a refused send did not deliver, or null for a receive. */
    public Object undelivered() {
        return undelivered;
    }
}
