package io.lockstep.channel;

/**
 * How a non-blocking or timed send ended. Every failure hands the message back, so nothing is
 * lost (crossbeam's {@code TrySendError::{Full(T), Disconnected(T)}}).
 *
 * <pre>{@code
 * switch (channel.trySend(job)) {
 *     case SendResult.Sent<Job> s -> { }
 *     case SendResult.Full<Job> f -> backlog.add(f.value());
 *     case SendResult.TimedOut<Job> t -> backlog.add(t.value());
 *     case SendResult.Closed<Job> c -> log.warn("dropped {}", c.value());
 * }
 * }</pre>
 *
 * @param <T> the message type
 */
public sealed interface SendResult<T>
        permits SendResult.Sent, SendResult.Full, SendResult.TimedOut, SendResult.Closed {

    /** The message was sent. */
    record Sent<T>() implements SendResult<T> {}

    /** No room now (or, for a rendezvous, no receiver waiting); here is the message back. */
    record Full<T>(T value) implements SendResult<T> {}

    /** No room before the timeout; here is the message back. */
    record TimedOut<T>(T value) implements SendResult<T> {}

    /** The channel is closed; here is the message back. */
    record Closed<T>(T value) implements SendResult<T> {}

    /** Whether the message was sent. */
    default boolean isSent() {
        return this instanceof Sent;
    }
}
