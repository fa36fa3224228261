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
 * <p>A guard from {@link RwLock#write()} belongs to the thread that locked: close it there. A
 * guard from {@link RwLock#writeAsync()} owns its hold itself: any thread may use and close it (one
 * task at a time, handed over with a happens-before edge), and racing closes release once.
 *
 * <p><b>Memory effects:</b> writes through this guard happen-before every later guard's reads.
 */
public final class RwLockWriteGuard<T> implements AutoCloseable {
    private final RwLock<T> owner;
    /** The hold, when it is guard-owned (writeAsync, or an upgraded async guard); null when a thread owns it. */
    private final RawRwLockGuard owned;
    private volatile boolean closed;

    RwLockWriteGuard(RwLock<T> owner, RawRwLockGuard owned) {
        this.owner = owner;
        this.owned = owned;
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
        if (owned != null) {
            RawRwLockGuard read = owned.downgrade();   // throws if closed meanwhile, before we mark anything
            closed = true;
            return new RwLockReadGuard<>(owner, read);
        }
        owner.downgradeWrite();               // throws for a non-owner before we mark anything
        closed = true;
        return new RwLockReadGuard<>(owner, null);
    }

    /** Whether this guard has been closed. */
    public boolean isClosed() {
        return closed;
    }

    /** Releases the write lock; does nothing if already closed. */
    @Override
    public void close() {
        if (closed) return;
        if (owned != null) owned.close();     // exactly once, whoever calls
        else owner.unlockWrite();             // throws for a non-owner before we mark anything
        closed = true;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("RwLockWriteGuard used after close()");
        if (owned != null) owned.holder = Thread.currentThread();   // for reports: the task's last thread
    }

    @Override
    public String toString() {
        return closed ? "RwLockWriteGuard[closed]" : "RwLockWriteGuard[" + owner.data + "]";
    }
}
