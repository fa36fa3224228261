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
 * <p>A guard from {@link RwLock#upgradableRead()} belongs to the thread that locked; one from
 * {@link RwLock#upgradableReadAsync()} owns its hold itself: any thread may use, upgrade and close
 * it (one task at a time), and racing closes release once.
 *
 * <p><b>Memory effects:</b> as a read guard; after {@link #upgrade()}, as a write guard.
 */
public final class RwLockUpgradableReadGuard<T> implements AutoCloseable {
    private final RwLock<T> owner;
    /** The hold, when it is guard-owned (upgradableReadAsync); null when a thread owns it. */
    private final RawRwLockGuard owned;
    private volatile boolean closed;

    RwLockUpgradableReadGuard(RwLock<T> owner, RawRwLockGuard owned) {
        this.owner = owner;
        this.owned = owned;
    }

    /** The protected value; do not mutate it before upgrading. */
    public T get() {
        checkOpen();
        return owner.data;
    }

    /**
     * Waits for the plain readers to leave and returns the write guard; closes this guard. The
     * calling thread waits, also for a guard from {@link RwLock#upgradableReadAsync()}.
     */
    public RwLockWriteGuard<T> upgrade() {
        checkOpen();
        if (owned != null) {
            RawRwLockGuard write = owned.upgrade();
            closed = true;
            return new RwLockWriteGuard<>(owner, write);
        }
        owner.upgradableLock().upgrade();
        closed = true;
        return new RwLockWriteGuard<>(owner, null);
    }

    /** Turns this into a plain read lock, letting writers compete again; closes this guard. */
    public RwLockReadGuard<T> downgrade() {
        checkOpen();
        if (owned != null) {
            RawRwLockGuard read = owned.downgrade();
            closed = true;
            return new RwLockReadGuard<>(owner, read);
        }
        owner.upgradableLock().downgradeUpgradable();
        closed = true;
        return new RwLockReadGuard<>(owner, null);
    }

    /** Whether this guard has been closed. */
    public boolean isClosed() {
        return closed;
    }

    /** Releases the upgradable read lock; does nothing if already closed. */
    @Override
    public void close() {
        if (closed) return;
        if (owned != null) owned.close();     // exactly once, whoever calls
        else owner.upgradableLock().unlockUpgradable();
        closed = true;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("RwLockUpgradableReadGuard used after close()");
        if (owned != null) owned.holder = Thread.currentThread();   // for reports: the task's last thread
    }
}
