package io.lockstep.lock;

/**
 * Proof of an {@link RwLock}'s upgradable read lock: read access that plain readers share, that
 * no writer or other upgradable reader can hold at the same time, and that can become the write
 * lock with nobody writing in between. Close it to unlock; after {@code close()},
 * {@link #upgrade()} or {@link #downgrade()}, every method but {@code close()} throws
 * {@link IllegalStateException}, and a second {@code close()} does nothing.
 *
 * <pre>{@code
 * try (RwLockUpgradableReadGuard<Cache> u = cache.upgradableRead()) {
 *     if (u.get().isStale()) {
 *         try (RwLockWriteGuard<Cache> w = u.upgrade()) { w.get().refresh(); }
 *     }
 * }
 * }</pre>
 *
 * <p><b>Memory effects:</b> as a read guard; after {@link #upgrade()}, as a write guard.
 */
public final class RwLockUpgradableReadGuard<T> implements AutoCloseable {
    private final RwLock<T> owner;
    private boolean closed;

    RwLockUpgradableReadGuard(RwLock<T> owner) {
        this.owner = owner;
    }

    /** The protected value; do not mutate it before upgrading. */
    public T get() {
        checkOpen();
        return owner.data;
    }

    /** Waits for the plain readers to leave and returns the write guard; closes this guard. */
    public RwLockWriteGuard<T> upgrade() {
        checkOpen();
        owner.rawLock().upgrade();
        closed = true;
        return new RwLockWriteGuard<>(owner);
    }

    /** Turns this into a plain read lock, letting writers compete again; closes this guard. */
    public RwLockReadGuard<T> downgrade() {
        checkOpen();
        owner.rawLock().downgradeUpgradable();
        closed = true;
        return new RwLockReadGuard<>(owner);
    }

    /** Whether this guard has been closed. */
    public boolean isClosed() {
        return closed;
    }

    /** Releases the upgradable read lock; does nothing if already closed. */
    @Override
    public void close() {
        if (closed) return;
        owner.rawLock().unlockUpgradable();
        closed = true;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("RwLockUpgradableReadGuard used after close()");
    }
}
