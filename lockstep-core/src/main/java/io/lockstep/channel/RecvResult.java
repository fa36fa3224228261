package io.lockstep.channel;

import java.util.NoSuchElementException;

/**
 * How a non-blocking or timed receive ended: a message, or why there was none. A closed channel
 * is reported as {@link Closed}, never as a silent null.
 *
 * <pre>{@code
 * switch (channel.recv(Duration.ofMillis(100))) {
 *     case RecvResult.Received<String> r -> handle(r.value());
 *     case RecvResult.Empty<String> e -> { }          // only from tryRecv
 *     case RecvResult.TimedOut<String> t -> idle();
 *     case RecvResult.Closed<String> c -> shutdown();
 * }
 * }</pre>
 *
 * @param <T> the message type
 */
public sealed interface RecvResult<T>
        permits RecvResult.Received, RecvResult.Empty, RecvResult.TimedOut, RecvResult.Closed {

    /** A message. */
    record Received<T>(T value) implements RecvResult<T> {}

    /** Nothing buffered now (from {@code tryRecv}). */
    record Empty<T>() implements RecvResult<T> {}

    /** Nothing arrived before the timeout. */
    record TimedOut<T>() implements RecvResult<T> {}

    /** The channel is closed and drained: nothing will ever arrive. */
    record Closed<T>() implements RecvResult<T> {}

    /** Whether a message was received. */
    default boolean isReceived() {
        return this instanceof Received;
    }

    /**
     * The message.
     *
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws NoSuchElementException if there was simply no message
     */
    default T get() {
        return switch (this) {
            case Received<T> r -> r.value();
            case Closed<T> c -> throw new ChannelClosedException(null);
            default -> throw new NoSuchElementException(toString());
        };
    }
}
