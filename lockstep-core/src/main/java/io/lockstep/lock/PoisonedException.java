package io.lockstep.lock;

/**
 * Thrown when locking a {@link Mutex} whose previous holder failed while holding it, as Rust's
 * {@code PoisonError}: the data may be half-updated, so the next user must decide.
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
 * <p>The mutex is not held while this exception propagates, so ignoring it cannot leak the lock;
 * {@link #recover()} takes the lock, ignoring the poison.
 */
public final class PoisonedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Mutex<?> mutex;

    PoisonedException(Mutex<?> mutex, Throwable cause) {
        super("mutex poisoned: a previous holder failed with " + cause, cause);
        this.mutex = mutex;
    }

    /**
     * Locks the poisoned mutex anyway and returns its guard (the lock is taken now, so another
     * thread may have used the data since the failure).
     */
    @SuppressWarnings("unchecked")
    public <T> MutexGuard<T> recover() {
        return ((Mutex<T>) mutex).lockIgnoringPoison();
    }

    /** Declares the data consistent again: later locks succeed. */
    public void clearPoison() {
        mutex.clearPoison();
    }

    /** The mutex that was found poisoned. */
    public Mutex<?> mutex() {
        return mutex;
    }
}
