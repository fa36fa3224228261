package io.lockstep.lock;

import java.util.Objects;

/**
 * Thrown when locking a {@link Mutex} (or an {@link RwLock}) whose previous holder failed while
 * holding it exclusively, as Rust's {@code PoisonError}: the data may be half-updated, so the next
 * user must decide. A {@link io.lockstep.sync.Once} whose action failed throws it too, from every
 * later {@code call}.
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
    private final transient Object lock;        // the Mutex, RwLock or other primitive found poisoned

    PoisonedException(Mutex<?> mutex, Throwable cause) {
        this(mutex, "mutex poisoned: a previous holder failed with " + cause, cause);
    }

    PoisonedException(RwLock<?> rwLock, Throwable cause) {
        this(rwLock, "rwlock poisoned: a previous writer failed with " + cause, cause);
    }

    /**
     * For any other primitive that poisons itself when user code fails inside it (such as
     * {@link io.lockstep.sync.Once}): {@code poisoned} is what {@link #lock()} returns, and
     * {@code cause} the failure. {@link #recover()}, {@link #recoverWrite()} and
     * {@link #clearPoison()} then throw {@link IllegalStateException}: such a primitive offers
     * its own way past the poison ({@code Once.callIgnoringPoison}).
     *
     * @throws NullPointerException if {@code poisoned} is null
     */
    public PoisonedException(Object poisoned, String message, Throwable cause) {
        super(message, cause);
        this.lock = Objects.requireNonNull(poisoned, "poisoned");
    }

    /**
     * Locks the poisoned mutex anyway and returns its guard (the lock is taken now, so another
     * thread may have used the data since the failure).
     *
     * @throws IllegalStateException if something else was poisoned (an {@link RwLock}: use {@link #recoverWrite()})
     */
    @SuppressWarnings("unchecked")
    public <T> MutexGuard<T> recover() {
        return ((Mutex<T>) mutex()).lockIgnoringPoison();
    }

    /**
     * Write-locks the poisoned {@link RwLock} anyway and returns its guard.
     *
     * @throws IllegalStateException if something else was poisoned (a {@link Mutex}: use {@link #recover()})
     */
    @SuppressWarnings("unchecked")
    public <T> RwLockWriteGuard<T> recoverWrite() {
        if (!(lock instanceof RwLock<?> rw)) {
            throw new IllegalStateException(lock instanceof Mutex<?> ? "a Mutex was poisoned: use recover()"
                    : lock + " was poisoned, not an RwLock");
        }
        return ((RwLock<T>) rw).writeIgnoringPoison();
    }

    /**
     * Declares the data consistent again: later locks succeed.
     *
     * @throws IllegalStateException if neither a {@link Mutex} nor an {@link RwLock} was poisoned
     */
    public void clearPoison() {
        if (lock instanceof RwLock<?> rw) rw.clearPoison();
        else mutex().clearPoison();
    }

    /**
     * The mutex that was found poisoned.
     *
     * @throws IllegalStateException if something else was poisoned (see {@link #lock()})
     */
    public Mutex<?> mutex() {
        if (!(lock instanceof Mutex<?> m)) {
            throw new IllegalStateException(lock instanceof RwLock<?> ? "an RwLock was poisoned: use recoverWrite()"
                    : lock + " was poisoned, not a Mutex");
        }
        return m;
    }

    /** The {@link Mutex}, {@link RwLock} (or other primitive, such as a Once) that was found poisoned. */
    public Object lock() {
        return lock;
    }
}
