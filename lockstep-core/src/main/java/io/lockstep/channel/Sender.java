package io.lockstep.channel;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The sending side of a {@link Channel}: hand this to producers so they cannot receive. Either
 * the channel itself ({@link Channel#sender()}, closed explicitly) or a counted
 * {@link SenderHandle} ({@link Channel#split()}, the channel closing when the last one closes).
 *
 * <pre>{@code
 * Channel<String> channel = Channel.unbounded();
 * Sender<String> tx = channel.sender();
 * Thread.ofVirtual().start(() -> {
 *     try { tx.send("Hello from thread"); } catch (InterruptedException e) { }
 * });
 * System.out.println("Received: " + channel.recv());
 * }</pre>
 *
 * <p><b>Memory effects:</b> actions before a successful send happen-before the receive that
 * returns that message. {@link #close()} happens-before a receive that reports the channel
 * closed.
 *
 * @param <T> the message type
 */
public sealed interface Sender<T> permits Channel, SenderHandle {
    /**
     * Sends, waiting for room (or, for a rendezvous, for a receiver).
     *
     * @throws NullPointerException   if {@code message} is null
     * @throws ChannelClosedException if the channel is or becomes closed; it holds the message
     * @throws InterruptedException   if interrupted while waiting; the message was not sent
     */
    void send(T message) throws InterruptedException;

    /** Sends if that is possible without waiting; otherwise hands the message back. */
    SendResult<T> trySend(T message);

    /**
     * Sends, waiting at most {@code timeout} (zero or negative: do not wait).
     *
     * @throws InterruptedException if interrupted while waiting; the message was not sent
     */
    SendResult<T> send(T message, Duration timeout) throws InterruptedException;

    /**
     * Sends asynchronously. The future completes when the message is in the channel, or
     * exceptionally with {@link ChannelClosedException} (holding the message). Cancelling the
     * future before it completes withdraws the send: the message is then never delivered; if
     * {@code cancel} returns false the message was (or will be) delivered. The same holds for
     * {@code completeExceptionally} and {@code orTimeout}.
     *
     * <p><b>Which thread runs dependent stages:</b> as for {@link Receiver#recvAsync()}: the
     * caller's own if the message goes in at once (a completed future), otherwise a fresh
     * virtual thread of the library's, or the thread that cancels or completes the future
     * (for {@code orTimeout}, a virtual thread, never the JDK's timer thread).
     */
    CompletableFuture<Void> sendAsync(T message);

    /**
     * This producer is done. For a {@link Channel}: closes the channel (later sends fail,
     * buffered messages still drain, and every waiting sender and receiver wakes). For a
     * {@link SenderHandle}: closes this handle, and the channel with the last one. Returns true
     * if this call closed it (the channel, or the handle).
     */
    boolean close();

    /** Whether sending is over: the channel has been closed (or, for a handle, the handle has). */
    boolean isClosed();
}
