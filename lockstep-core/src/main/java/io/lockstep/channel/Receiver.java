package io.lockstep.channel;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The receiving side of a {@link Channel}: the channel itself ({@link Channel#receiver()}) or a
 * counted {@link ReceiverHandle} ({@link Channel#split()}). Iterating over it receives until the
 * channel is closed and drained.
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
public sealed interface Receiver<T> extends Iterable<T> permits Channel, ReceiverHandle {
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
     * {@code cancel} returns false, the future has (or will get) its message. The same holds
     * for {@code complete}, {@code completeExceptionally}, {@code orTimeout} and
     * {@code completeOnTimeout}: they take effect only if the receive could be withdrawn.
     *
     * <p><b>Which thread runs dependent stages:</b> if a message is there at once, the future
     * is returned completed (stages run in the thread that attaches them); otherwise a fresh
     * virtual thread of the library's completes it, so a sender never runs the receiver's
     * callbacks and a chain of callbacks each of which triggers the next keeps a flat stack.
     * A future ended early runs its stages in the thread that cancels or completes it (for
     * {@code orTimeout}/{@code completeOnTimeout}, a virtual thread, never the JDK's timer
     * thread). Cancelling may wait, parked, for a step of the operation already in flight.
     */
    CompletableFuture<T> recvAsync();

    /**
     * Whether the channel has been closed (messages may still be buffered), or, for a handle,
     * the handle has.
     */
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
