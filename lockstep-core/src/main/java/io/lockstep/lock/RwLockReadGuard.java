package io.lockstep.lock;

/**
 * Proof of a read lock on an {@link RwLock}, and read access to its data. Close it to unlock;
 * after {@code close()} {@link #get()} throws {@link IllegalStateException}, and a second
 * {@code close()} does nothing.
 *
 * <pre>{@code
 * try (RwLockReadGuard<Config> g = config.read()) {
 *     return g.get().timeout();
 * }
 * }</pre>
 *
 * <p><b>Memory effects:</b> {@link #get()} sees every write made under earlier write guards.
 */
public final class RwLockReadGuard<T> implements AutoCloseable {
    private final RwLock<T> owner;
    private boolean closed;

    RwLockReadGuard(RwLock<T> owner) {
        this.owner = owner;
    }

    /** The protected value; do not mutate it through a read guard. */
    public T get() {
        if (closed) throw new IllegalStateException("RwLockReadGuard used after close()");
        return owner.data;
    }

    /** Whether this guard has been closed. */
    public boolean isClosed() {
        return closed;
    }

    /** Releases the read lock; does nothing if already closed. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        owner.rawLock().unlockRead();
    }

    @Override
    public String toString() {
        return closed ? "RwLockReadGuard[closed]" : "RwLockReadGuard[" + owner.data + "]";
    }
}
