package io.lockstep.channel;

import io.lockstep.channel.flavors.Flavor;
import io.lockstep.channel.flavors.Token;
import io.lockstep.channel.waiting.Context;
import io.lockstep.channel.waiting.Operation;
import java.util.concurrent.CountDownLatch;

/**
 * A flavor that delegates to another, except that once {@link #stallNextAccept armed} the next
 * {@code accept} (the step after a selection) blocks until {@link #release}: an async
 * operation's step held in flight, for tests of what waits for it.
 */
final class StallingFlavor<T> extends Flavor<T> {
    private final Flavor<T> inner;
    private volatile CountDownLatch entered, gate;

    StallingFlavor(Flavor<T> inner) {
        this.inner = inner;
    }

    /** A new channel on {@code channel}'s flavor (the same state) whose accepts can be stalled. */
    static <T> Channel<T> stalling(Channel<T> channel) {
        return new Channel<>(new StallingFlavor<>(channel.flavor));
    }

    @SuppressWarnings("unchecked")
    static StallingFlavor<?> of(Channel<?> channel) {
        return (StallingFlavor<?>) channel.flavor;
    }

    /** Arms the stall; returns a latch that opens once an accept is stalled. */
    CountDownLatch stallNextAccept() {
        entered = new CountDownLatch(1);
        gate = new CountDownLatch(1);
        return entered;
    }

    void release() {
        gate.countDown();
    }

    @Override
    public boolean accept(boolean send, Token token, Operation operation) {
        CountDownLatch g = gate;
        if (g != null && g.getCount() > 0) {
            entered.countDown();
            try {
                g.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return inner.accept(send, token, operation);
    }

    @Override
    public boolean startSend(Token token) {
        return inner.startSend(token);
    }

    @Override
    public boolean write(Token token, T message) {
        return inner.write(token, message);
    }

    @Override
    public boolean startRecv(Token token) {
        return inner.startRecv(token);
    }

    @Override
    public Object read(Token token) {
        return inner.read(token);
    }

    @Override
    public void register(boolean send, Operation operation, Context context) {
        inner.register(send, operation, context);
    }

    @Override
    public boolean registerReady(boolean send, Operation operation, Context context) {
        return inner.registerReady(send, operation, context);
    }

    @Override
    public void unregister(boolean send, Operation operation) {
        inner.unregister(send, operation);
    }

    @Override
    public boolean isReady(boolean send) {
        return inner.isReady(send);
    }

    @Override
    public boolean close() {
        return inner.close();
    }

    @Override
    public boolean isClosed() {
        return inner.isClosed();
    }

    @Override
    public int size() {
        return inner.size();
    }

    @Override
    public int capacity() {
        return inner.capacity();
    }

    @Override
    public int registrations() {
        return inner.registrations();
    }
}
