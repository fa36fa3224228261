package io.lockstep.os;

import java.nio.channels.FileLock;

/**
 * Proof that the current thread holds a {@link FileMutex}. Close it to unlock, preferably with
 * try-with-resources; a second {@code close()} does nothing.
 *
 * <pre>{@code
 * try (FileMutexGuard g = mutex.lock()) {
 *     appendToSharedLog(entry);
 * }
 * }</pre>
 *
 * <p>A guard belongs to the thread that locked: closing it from another thread throws
 * {@link IllegalMonitorStateException} and leaves the mutex locked.
 */
public final class FileMutexGuard implements AutoCloseable {
    private final FileMutex mutex;
    private final FileLock lock;
    private final Thread owner = Thread.currentThread();
    private volatile boolean closed;

    FileMutexGuard(FileMutex mutex, FileLock lock) {
        this.mutex = mutex;
        this.lock = lock;
    }

    /** The mutex this guard holds. */
    public FileMutex mutex() {
        return mutex;
    }

    /** Whether this guard was closed (the mutex unlocked through it). */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Unlocks: first the file (another process may take it now), then this JVM's threads.
     *
     * @throws IllegalMonitorStateException if called from a thread other than the one that locked
     */
    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalMonitorStateException("a FileMutexGuard of " + mutex.path() + " is closed by "
                    + Thread.currentThread() + " but belongs to " + owner);
        }
        if (closed) return;
        closed = true;
        mutex.unlock(lock);
    }

    @Override
    public String toString() {
        return "FileMutexGuard[" + mutex.path() + (closed ? ", closed" : ", held by " + owner.getName()) + "]";
    }
}
