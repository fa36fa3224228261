package io.lockstep.channel;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * A counted receiving handle of a {@link Channel#split() split} channel (crossbeam's
 * {@code Receiver}): {@link #newReceiver()} adds a handle, {@link #close()} removes this one,
 * and closing the last receiver handle closes the channel: sends fail and hand their message
 * back, and senders waiting for room wake. When the last {@link SenderHandle} closes, receives
 * drain what is buffered, then report the channel closed ({@link RecvResult.Closed},
 * {@link ChannelClosedException}, the end of iteration).
 *
 * <pre>{@code
 * ChannelPair<Job> pair = Channel.<Job>bounded(16).split();
 * for (int i = 0; i < workers; i++) {
 *     ReceiverHandle<Job> rx = pair.receiver().newReceiver();
 *     Thread.ofVirtual().start(() -> {
 *         try {
 *             for (Job job : rx) job.run();               // ends when the producers are done
 *         } finally {
 *             rx.close();
 *         }
 *     });
 * }
 * pair.receiver().close();
 * }</pre>
 *
 * <p>A closed handle refuses every use, cloning and iteration included, with
 * {@link IllegalStateException} (not {@link ChannelClosedException}: the channel may still be
 * open for other handles). An operation already waiting when its handle is closed by another
 * thread goes on waiting; it wakes when a message comes or the channel closes.
 *
 * <p><b>Memory effects:</b> as {@link Receiver}.
 *
 * @param <T> the message type
 */
public final class ReceiverHandle<T> implements Receiver<T> {
    private final Channel<T> channel;
    private final Handle handle;

    ReceiverHandle(Channel<T> channel, Handle handle) {
        this.channel = channel;
        this.handle = handle;
    }

    /**
     * Another receiver handle on the same channel, counted: sends keep working until it is
     * closed too.
     *
     * @throws IllegalStateException if this handle is closed
     */
    public ReceiverHandle<T> newReceiver() {
        return new ReceiverHandle<>(channel, handle.copy());
    }

    /** @throws IllegalStateException if this handle is closed */
    @Override
    public T recv() throws InterruptedException {
        handle.checkOpen();
        return channel.recv();
    }

    /** @throws IllegalStateException if this handle is closed */
    @Override
    public RecvResult<T> tryRecv() {
        handle.checkOpen();
        return channel.tryRecv();
    }

    /** @throws IllegalStateException if this handle is closed */
    @Override
    public RecvResult<T> recv(Duration timeout) throws InterruptedException {
        handle.checkOpen();
        return channel.recv(timeout);
    }

    /** @throws IllegalStateException if this handle is closed */
    @Override
    public CompletableFuture<T> recvAsync() {
        handle.checkOpen();
        return channel.recvAsync();
    }

    /**
     * Closes this handle; if it was the last open receiver handle, closes the channel. A second
     * call does nothing. Returns true if this call closed the handle.
     */
    public boolean close() {
        return handle.close();
    }

    /**
     * Whether this handle is closed or the channel is (messages may still be buffered: a closed
     * channel still drains through an open handle).
     */
    @Override
    public boolean isClosed() {
        return handle.isClosed() || channel.isClosed();
    }

    @Override
    public int size() {
        return channel.size();
    }

    /**
     * As {@link Receiver#iterator()}; each {@code hasNext} checks the handle first.
     *
     * @throws IllegalStateException if this handle is closed (also from {@code hasNext}, once it is)
     */
    @Override
    public Iterator<T> iterator() {
        handle.checkOpen();
        return channel.iterator(handle);
    }

    /** @throws IllegalStateException if this handle is closed (also while streaming, once it is) */
    @Override
    public Stream<T> stream() {
        handle.checkOpen();
        return Channel.stream(channel.iterator(handle));
    }

    Channel<T> channel() {
        handle.checkOpen();
        return channel;
    }

    @Override
    public String toString() {
        return "ReceiverHandle[" + (handle.isClosed() ? "closed, " : "") + "receivers="
                + handle.connections.count(false) + ", " + channel + "]";
    }
}
