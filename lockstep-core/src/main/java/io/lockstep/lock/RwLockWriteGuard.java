package io.lockstep.lock;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Proof that the current thread holds an {@link RwLock}'s write lock, and the only way to change
 * its data. Close it to unlock; after {@code close()} (or {@link #downgrade()}) every method but
 * {@code close()} throws {@link IllegalStateException}, and a second {@code close()} does nothing.
 *
 * <pre>{@code
 * try (RwLockWriteGuard<List<String>> w = names.write()) {
 *     w.get().add("ada");
 *     try (RwLockReadGuard<List<String>> r = w.downgrade()) {   // keep reading, let readers in
 *         publish(r.get());
 *     }
 * }
 * }</pre>
 *
 * <p><b>Memory effects:</b> writes through this guard happen-before every later guard's reads.
 */
public final class RwLockWriteGuard<T> implements AutoCloseable {
    private final RwLock<T> owner;
    private boolean closed;

    RwLockWriteGuard(RwLock<T> owner) {
        this.owner = owner;
    }

    /** The protected value. */
    public T get() {
        checkOpen();
        return owner.data;
    }

    /** Replaces the protected value. */
    public void set(T value) {
        checkOpen();
        owner.data = value;
    }

    /**
     * Replaces the value with {@code f} of it. If {@code f} throws, the value is left as it was,
     * the lock is poisoned (if it poisons) and the exception propagates.
     */
    public T update(UnaryOperator<T> f) {
        Objects.requireNonNull(f, "f");
        checkOpen();
        try {
            T next = f.apply(owner.data);
            owner.data = next;
            return next;
        } catch (Throwable t) {
            owner.poison(t);
            throw t;
        }
    }

    /** Marks the lock poisoned by {@code cause} (see {@link MutexGuard#poison}). */
    public void poison(Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        checkOpen();
        owner.poison(cause);
    }

    /**
     * Turns this write lock into a read lock without letting another writer in, and closes this
     * guard. Readers waiting behind it are let in too.
     */
    public RwLockReadGuard<T> downgrade() {
        checkOpen();
        owner.rawLock().downgrade();          // throws for a non-owner before we mark anything
        closed = true;
        return new RwLockReadGuard<>(owner);
    }

    /** Whether this guard has been closed. */
    public boolean isClosed() {
        return closed;
    }

    /** Releases the write lock; does nothing if already closed. */
    @Override
    public void close() {
        if (closed) return;
        owner.rawLock().unlockWrite();        // throws for a non-owner before we mark anything
        closed = true;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("RwLockWriteGuard used after close()");
    }

    @Override
    public String toString() {
        return closed ? "RwLockWriteGuard[closed]" : "RwLockWriteGuard[" + owner.data + "]";
    }
}
