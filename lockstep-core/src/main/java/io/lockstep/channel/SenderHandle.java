package io.lockstep.channel;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A counted sending handle of a {@link Channel#split() split} channel (crossbeam's
 * {@code Sender}): {@link #newSender()} adds a handle, {@link #close()} removes this one, and
 * closing the last sender handle closes the channel: receivers drain what is buffered, then see
 * it closed. If the last {@link ReceiverHandle} closes first, sends fail and hand the message
 * back ({@link SendResult.Closed}, {@link ChannelClosedException}).
 *
 * <pre>{@code
 * ChannelPair<String> pair = Channel.<String>unbounded().split();
 * SenderHandle<String> tx = pair.sender();
 * for (String host : hosts) {
 *     SenderHandle<String> mine = tx.newSender();          // one per producer
 *     Thread.ofVirtual().start(() -> {
 *         try {
 *             mine.send(ping(host));
 *         } catch (InterruptedException e) {
 *             Thread.currentThread().interrupt();
 *         } finally {
 *             mine.close();
 *         }
 *     });
 * }
 * tx.close();                                              // only the producers' handles remain
 * pair.receiver().forEach(System.out::println);            // ends after the last producer closes
 * }</pre>
 *
 * <p>A closed handle refuses every use, cloning included, with {@link IllegalStateException}
 * (not {@link ChannelClosedException}: the channel may still be open for other handles). An
 * operation already waiting when its handle is closed by another thread goes on waiting; it
 * wakes when the channel closes.
 *
 * <p><b>Memory effects:</b> as {@link Sender}; actions before closing the last sender handle
 * happen-before a receive that reports the channel closed.
 *
 * @param <T> the message type
 */
public final class SenderHandle<T> implements Sender<T> {
    private final Channel<T> channel;
    private final Handle handle;

    SenderHandle(Channel<T> channel, Handle handle) {
        this.channel = channel;
        this.handle = handle;
    }

    /**
     * Another sender handle on the same channel, counted: the channel stays open until it is
     * closed too.
     *
     * @throws IllegalStateException if this handle is closed
     */
    public SenderHandle<T> newSender() {
        return new SenderHandle<>(channel, handle.copy());
    }

    /** @throws IllegalStateException if this handle is closed */
    @Override
    public void send(T message) throws InterruptedException {
        handle.checkOpen();
        channel.send(message);
    }

    /** @throws IllegalStateException if this handle is closed */
    @Override
    public SendResult<T> trySend(T message) {
        handle.checkOpen();
        return channel.trySend(message);
    }

    /** @throws IllegalStateException if this handle is closed */
    @Override
    public SendResult<T> send(T message, Duration timeout) throws InterruptedException {
        handle.checkOpen();
        return channel.send(message, timeout);
    }

    /** @throws IllegalStateException if this handle is closed */
    @Override
    public CompletableFuture<Void> sendAsync(T message) {
        handle.checkOpen();
        return channel.sendAsync(message);
    }

    /**
     * Closes this handle; if it was the last open sender handle, closes the channel. A second
     * call does nothing. Returns true if this call closed the handle.
     */
    @Override
    public boolean close() {
        return handle.close();
    }

    /** Whether this handle can no longer send: it is closed, or the channel is. */
    @Override
    public boolean isClosed() {
        return handle.isClosed() || channel.isClosed();
    }

    Channel<T> channel() {
        handle.checkOpen();
        return channel;
    }

    @Override
    public String toString() {
        return "SenderHandle[" + (handle.isClosed() ? "closed, " : "") + "senders="
                + handle.connections.count(true) + ", " + channel + "]";
    }
}
