package io.lockstep.channel;

import io.lockstep.channel.flavors.Flavor;
import io.lockstep.channel.flavors.Token;
import io.lockstep.channel.waiting.Context;
import io.lockstep.channel.waiting.Operation;
import java.util.List;

/**
 * A flavor that delegates to another and counts the waits registered on it: how many distinct
 * {@link Context}s (one per wait of a select or a blocking operation) it has seen. For tests
 * that must know a select really registered before it timed out. Confined to one selecting
 * thread (the count is a plain field). Meant for Select and the try operations: the blocking
 * send/recv would spin per the default {@code spins(boolean)} and {@code spinsVirtual()}, which the wrapper cannot delegate
 * (it is package-private to the flavors).
 */
final class CountingFlavor<T> extends Flavor<T> {
    private final Flavor<T> inner;
    private Context last;
    private long waits;

    CountingFlavor(Flavor<T> inner) {
        this.inner = inner;
    }

    /** A new channel on {@code channel}'s flavor (the same state), counting its registrations. */
    static <T> Channel<T> counting(Channel<T> channel) {
        return new Channel<>(new CountingFlavor<>(channel.flavor));
    }

    /** The waits registered so far on {@code channel}, which {@link #counting} made. */
    static long waits(Channel<?> channel) {
        return ((CountingFlavor<?>) channel.flavor).waits;
    }

    @Override
    public void register(boolean send, Operation operation, Context context) {
        if (context != last) {
            last = context;
            waits++;
        }
        inner.register(send, operation, context);
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
    public void unregister(boolean send, Operation operation) {
        inner.unregister(send, operation);
    }

    @Override
    public boolean isReady(boolean send) {
        return inner.isReady(send);
    }

    @Override
    public boolean accept(boolean send, Token token, Operation operation) {
        return inner.accept(send, token, operation);
    }

    @Override
    public long readyAt() {
        return inner.readyAt();
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

    @Override
    public List<Object> snapshot() {
        return inner.snapshot();
    }
}
