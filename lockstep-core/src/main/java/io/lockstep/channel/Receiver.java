package io.lockstep.channel;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The receiving side of a {@link Channel}. Iterating over it receives until the channel is
 * closed and drained.
 *
 * <pre>{@code
 * Receiver<Job> jobs = channel.receiver();
 * for (Job job : jobs) {        // ends when the producers close the channel
 *     job.run();
 * }
 * }</pre>
 *
 * <p><b>Memory effects:</b> as {@link Sender}: a send happens-before the receive of its message.
 *
 * @param <T> the message type
 */
public sealed interface Receiver<T> extends Iterable<T> permits Channel {
    /**
     * Receives, waiting for a message.
     *
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws InterruptedException   if interrupted while waiting; nothing was received
     */
    T recv() throws InterruptedException;

    /** Receives if a message is there now. */
    RecvResult<T> tryRecv();

    /**
     * Receives, waiting at most {@code timeout} (zero or negative: do not wait).
     *
     * @throws InterruptedException if interrupted while waiting; nothing was received
     */
    RecvResult<T> recv(Duration timeout) throws InterruptedException;

    /**
     * Receives asynchronously. The future completes with the message, or exceptionally with
     * {@link ChannelClosedException} once the channel is closed and drained. Cancelling the
     * future before it completes withdraws the receive: no message is taken for it; if
     * {@code cancel} returns false, the future has (or will get) its message.
     */
    CompletableFuture<T> recvAsync();

    /** Whether the channel has been closed (messages may still be buffered). */
    boolean isClosed();

    /** Messages buffered now (a snapshot). */
    int size();

    /** Whether nothing is buffered now (a snapshot). */
    default boolean isEmpty() {
        return size() == 0;
    }

    /**
     * An iterator that receives (blocking) until the channel is closed and drained. If the
     * thread is interrupted while waiting, {@code hasNext} throws
     * {@link java.util.concurrent.CancellationException} with the interrupt status kept.
     */
    @Override
    Iterator<T> iterator();

    /** A sequential stream of the messages received until the channel is closed and drained. */
    Stream<T> stream();
}
