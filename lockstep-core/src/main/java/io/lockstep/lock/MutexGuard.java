package io.lockstep.lock;

import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.function.UnaryOperator;

/**
 * Proof that the current thread holds a {@link Mutex}, and the only way to reach its data. Close
 * it to unlock, preferably with try-with-resources; after {@code close()} every method but
 * {@code close()} throws {@link IllegalStateException}, and a second {@code close()} does nothing.
 *
 * <pre>{@code
 * try (MutexGuard<List<String>> g = names.lock()) {
 *     g.get().add("ada");
 * }
 * }</pre>
 *
 * <p>A guard belongs to the thread that locked: closing it from another thread throws
 * {@link IllegalMonitorStateException} when the mutex's lock checks ownership (as Lockstep's do).
 */
public final class MutexGuard<T> implements AutoCloseable {
    private final Mutex<T> mutex;
    private boolean closed;

    MutexGuard(Mutex<T> mutex) {
        this.mutex = mutex;
    }

    /** The protected value. */
    public T get() {
        checkOpen();
        return mutex.data;
    }

    /** Replaces the protected value. */
    public void set(T value) {
        checkOpen();
        mutex.data = value;
    }

    /**
     * Replaces the protected value with {@code f} of it. If {@code f} throws, the value is left as
     * it was, the mutex is poisoned (if it poisons) and the exception propagates.
     */
    public T update(UnaryOperator<T> f) {
        Objects.requireNonNull(f, "f");
        checkOpen();
        try {
            T next = f.apply(mutex.data);
            mutex.data = next;
            return next;
        } catch (Throwable t) {
            mutex.poison(t);
            throw t;
        }
    }

    /**
     * Marks the mutex poisoned by {@code cause}: the data may be inconsistent. Java cannot tell a
     * {@code close()} during unwinding from a normal one, so code that fails half-way through an
     * update inside try-with-resources calls this in its {@code catch} (or uses
     * {@link Mutex#withLock}, which does it automatically).
     */
    public void poison(Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        checkOpen();
        mutex.poison(cause);
    }

    /** Unlocks, runs {@code action} without the lock, and locks again (lock_api's {@code unlocked}). */
    public void unlocked(Runnable action) {
        Objects.requireNonNull(action, "action");
        checkOpen();
        Lock lock = mutex.rawLock();
        lock.unlock();
        try {
            action.run();
        } finally {
            lock.lock();
        }
    }

    /** Closes the guard, handing the lock straight to the longest waiter if the lock can. */
    public void unlockFair() {
        checkOpen();
        Lock lock = mutex.rawLock();
        if (lock instanceof FairUnlock fair) fair.unlockFair();
        else lock.unlock();
        closed = true;              // only once unlocked: a non-owner's IMSE leaves the guard open, as close()
    }

    /** Whether this guard has been closed. */
    public boolean isClosed() {
        return closed;
    }

    /** Unlocks the mutex; does nothing if already closed. */
    @Override
    public void close() {
        if (closed) return;
        Lock lock = mutex.rawLock();
        lock.unlock();              // throws for a non-owner before we mark anything
        closed = true;
    }

    /** For {@link Condvar}: the lock to wait with; the guard must be open. */
    Lock lockForWait() {
        checkOpen();
        return mutex.rawLock();
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("MutexGuard used after close()");
    }

    @Override
    public String toString() {
        return closed ? "MutexGuard[closed]" : "MutexGuard[" + mutex.data + "]";
    }
}
