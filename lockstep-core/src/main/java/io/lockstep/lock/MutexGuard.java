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
 * <p>A guard from {@link Mutex#lock()} belongs to the thread that locked: closing it from another
 * thread throws {@link IllegalMonitorStateException} when the mutex's lock checks ownership (as
 * Lockstep's do). A guard from {@link Mutex#lockAsync()} owns the lock itself: any thread may use
 * and close it (hand it over with a happens-before edge, as a future's completion gives), but it
 * cannot {@link #unlocked run unlocked} or wait on a {@link Condvar}.
 */
public final class MutexGuard<T> implements AutoCloseable {
    private final Mutex<T> mutex;
    /** The hold, when it is guard-owned (lockAsync); null when a thread owns the lock. */
    private final RawMutexGuard owned;
    private boolean closed;

    MutexGuard(Mutex<T> mutex) {
        this(mutex, null);
    }

    MutexGuard(Mutex<T> mutex, RawMutexGuard owned) {
        this.mutex = mutex;
        this.owned = owned;
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
        checkThreadOwned("unlocked()");
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
        if (owned != null) owned.unlockFair();
        else if (lock instanceof FairUnlock fair) fair.unlockFair();
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
        if (owned != null) owned.close();
        else mutex.rawLock().unlock();   // throws for a non-owner before we mark anything
        closed = true;
    }

    /** For {@link Condvar}: the lock to wait with; the guard must be open. */
    Lock lockForWait() {
        checkOpen();
        checkThreadOwned("a Condvar wait");
        return mutex.rawLock();
    }

    /** For Condvar.awaitAsync: the mutex of an open guard-owned guard. */
    Mutex<T> mutexForAsyncWait() {
        checkOpen();
        if (owned == null) {
            throw new IllegalStateException("awaitAsync releases and re-takes the lock as a task, but this guard (from lock()) "
                    + "belongs to a thread: use await, or a guard from lockAsync");
        }
        return mutex;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("MutexGuard used after close()");
        if (owned != null) owned.holder = Thread.currentThread();   // for deadlock reports: the task's last thread
    }

    private void checkThreadOwned(String what) {
        if (owned != null) {
            throw new IllegalStateException(what + " re-locks as a thread, but this guard (from lockAsync) owns the lock "
                    + "itself: close it and lock again instead");
        }
    }

    @Override
    public String toString() {
        return closed ? "MutexGuard[closed]" : "MutexGuard[" + mutex.data + "]";
    }
}
