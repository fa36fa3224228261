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
 * <p>A guard from {@link RwLock#read()} belongs to the thread that locked: close it there. A guard
 * from {@link RwLock#readAsync()} owns its hold itself: any thread may use and close it (hand it
 * over with a happens-before edge, as a future's completion gives), and racing closes release once.
 *
 * <p><b>Memory effects:</b> {@link #get()} sees every write made under earlier write guards.
 */
public final class RwLockReadGuard<T> implements AutoCloseable {
    private final RwLock<T> owner;
    /** The hold, when it is guard-owned (readAsync); null when a thread owns it. */
    private final RawRwLockGuard owned;
    private volatile boolean closed;

    RwLockReadGuard(RwLock<T> owner, RawRwLockGuard owned) {
        this.owner = owner;
        this.owned = owned;
    }

    /** The protected value; do not mutate it through a read guard. */
    public T get() {
        if (closed) throw new IllegalStateException("RwLockReadGuard used after close()");
        if (owned != null) owned.holder = Thread.currentThread();   // for reports: the task's last thread
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
        if (owned != null) owned.close();     // exactly once, whoever calls
        else owner.unlockRead();
        closed = true;
    }

    @Override
    public String toString() {
        return closed ? "RwLockReadGuard[closed]" : "RwLockReadGuard[" + owner.data + "]";
    }
}
