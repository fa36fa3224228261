package io.lockstep.channel;

import java.util.NoSuchElementException;

/**
 * How a receive from a {@link Broadcast.Subscriber} ended: a message, or how many messages the
 * subscriber missed because it fell behind the buffer (tokio's {@code RecvError::Lagged(n)}),
 * or why there was none. After {@link Lagged}, the subscriber continues with the oldest message
 * still buffered.
 *
 * <pre>{@code
 * for (;;) {
 *     switch (subscriber.recv()) {
 *         case BroadcastResult.Received<Tick> r -> chart.add(r.value());
 *         case BroadcastResult.Lagged<Tick> l -> chart.markGap(l.missed());
 *         case BroadcastResult.Closed<Tick> c -> { return; }
 *         case BroadcastResult.Empty<Tick> e -> { }       // only from tryRecv
 *         case BroadcastResult.TimedOut<Tick> t -> { }    // only from recv(Duration)
 *     }
 * }
 * }</pre>
 *
 * @param <T> the message type
 */
public sealed interface BroadcastResult<T>
        permits BroadcastResult.Received, BroadcastResult.Lagged, BroadcastResult.Empty,
                BroadcastResult.TimedOut, BroadcastResult.Closed {

    /** A message. */
    record Received<T>(T value) implements BroadcastResult<T> {}

    /**
     * The subscriber fell behind: {@code missed} messages were overwritten before it read them
     * (always positive). The next receive returns the oldest message still buffered.
     */
    record Lagged<T>(long missed) implements BroadcastResult<T> {}

    /** Nothing new now (from {@code tryRecv}). */
    record Empty<T>() implements BroadcastResult<T> {}

    /** Nothing new before the timeout. */
    record TimedOut<T>() implements BroadcastResult<T> {}

    /** The broadcast is closed and this subscriber has read everything: nothing more will come. */
    record Closed<T>() implements BroadcastResult<T> {}

    /** Whether a message was received. */
    default boolean isReceived() {
        return this instanceof Received;
    }

    /**
     * The message.
     *
     * @throws ChannelClosedException if the broadcast is closed and read to the end
     * @throws NoSuchElementException if there was no message (lagged, empty or timed out)
     */
    default T get() {
        return switch (this) {
            case Received<T> r -> r.value();
            case Closed<T> c -> throw new ChannelClosedException(null);
            default -> throw new NoSuchElementException(toString());
        };
    }
}
