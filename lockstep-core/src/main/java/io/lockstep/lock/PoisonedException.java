package io.lockstep.lock;

/**
 * Thrown when locking a {@link Mutex} (or an {@link RwLock}) whose previous holder failed while
 * holding it exclusively, as Rust's {@code PoisonError}: the data may be half-updated, so the next
 * user must decide.
 *
 * <pre>{@code
 * try (MutexGuard<Account> g = accounts.lock()) {
 *     ...
 * } catch (PoisonedException e) {
 *     log.warn("a transfer failed half-way", e.getCause());
 *     try (MutexGuard<Account> g = e.<Account>recover()) {   // take it anyway
 *         g.get().reconcile();
 *         e.clearPoison();                                    // healthy again
 *     }
 * }
 * }</pre>
 *
 * <p>The lock is not held while this exception propagates, so ignoring it cannot leak the lock;
 * {@link #recover()} (for a mutex) or {@link #recoverWrite()} (for an RwLock) takes the lock,
 * ignoring the poison.
 */
public final class PoisonedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Object lock;        // the Mutex or RwLock found poisoned

    PoisonedException(Mutex<?> mutex, Throwable cause) {
        super("mutex poisoned: a previous holder failed with " + cause, cause);
        this.lock = mutex;
    }

    PoisonedException(RwLock<?> rwLock, Throwable cause) {
        super("rwlock poisoned: a previous writer failed with " + cause, cause);
        this.lock = rwLock;
    }

    /**
     * Locks the poisoned mutex anyway and returns its guard (the lock is taken now, so another
     * thread may have used the data since the failure).
     *
     * @throws IllegalStateException if an {@link RwLock} was poisoned (use {@link #recoverWrite()})
     */
    @SuppressWarnings("unchecked")
    public <T> MutexGuard<T> recover() {
        return ((Mutex<T>) mutex()).lockIgnoringPoison();
    }

    /**
     * Write-locks the poisoned {@link RwLock} anyway and returns its guard.
     *
     * @throws IllegalStateException if a {@link Mutex} was poisoned (use {@link #recover()})
     */
    @SuppressWarnings("unchecked")
    public <T> RwLockWriteGuard<T> recoverWrite() {
        if (!(lock instanceof RwLock<?> rw)) throw new IllegalStateException("a Mutex was poisoned: use recover()");
        return ((RwLock<T>) rw).writeIgnoringPoison();
    }

    /** Declares the data consistent again: later locks succeed. */
    public void clearPoison() {
        if (lock instanceof RwLock<?> rw) rw.clearPoison();
        else mutex().clearPoison();
    }

    /**
     * The mutex that was found poisoned.
     *
     * @throws IllegalStateException if an {@link RwLock} was poisoned (see {@link #lock()})
     */
    public Mutex<?> mutex() {
        if (!(lock instanceof Mutex<?> m)) throw new IllegalStateException("an RwLock was poisoned: use recoverWrite()");
        return m;
    }

    /** The {@link Mutex} or {@link RwLock} that was found poisoned. */
    public Object lock() {
        return lock;
    }
}
