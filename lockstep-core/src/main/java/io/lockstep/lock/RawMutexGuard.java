package io.lockstep.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A hold on a {@link RawMutex} taken by {@link RawMutex#lockAsync()}: the lock is owned by this
 * guard, not by a thread, so any thread may close it, once (tokio's {@code OwnedMutexGuard}; see
 * "Ownership" in the {@linkplain io.lockstep.lock package docs}).
 *
 * <pre>{@code
 * mutex.lockAsync().thenAccept(g -> {
 *     try (g) {
 *         balance += amount;            // whichever thread runs this stage
 *     }
 * });
 * }</pre>
 *
 * <p>Closing releases the lock, or hands it straight to the first waiter (a parked thread or
 * another async request). A second {@code close()} throws {@link IllegalStateException}: the
 * lock may already belong to someone else. While the guard is open, {@link RawMutex#unlock()}
 * by any thread throws {@link IllegalMonitorStateException}.
 */
public final class RawMutexGuard implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * `closed` is the exactly-once switch: the CAS that sets it is the only path to the release,
     * so two racing closes release once and the loser gets the exception. `holder` is only for
     * reports (deadlock detection, toString): the thread that asked for the lock, then the last
     * thread that used the guard through a MutexGuard; plain, racy on purpose.
     */
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(RawMutexGuard.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RawMutex mutex;
    private volatile boolean closed;
    /** For reports only: the task's last known thread. */
    Thread holder;

    RawMutexGuard(RawMutex mutex, Thread holder) {
        this.mutex = mutex;
        this.holder = holder;
    }

    /** The mutex this guard holds (or held). */
    public RawMutex mutex() {
        return mutex;
    }

    /** Whether this guard has been closed. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Unlocks the mutex; from any thread.
     *
     * @throws IllegalStateException if the guard was closed already (the lock is not released twice)
     */
    @Override
    public void close() {
        release(false);
    }

    /** As {@link #close()}, handing the lock straight to the longest waiter, if any. */
    public void unlockFair() {
        release(true);
    }

    private void release(boolean fair) {
        if (!CLOSED.compareAndSet(this, false, true)) {
            throw new IllegalStateException("guard of " + mutex + " closed twice: the lock was released by the first close");
        }
        mutex.releaseGuard(this, fair);
    }

    /** The thread to blame in a deadlock report: the one that asked for the lock or last used the guard. */
    Thread holderThread() {
        return holder;
    }

    @Override
    public String toString() {
        Thread h = holder;
        return "RawMutexGuard[" + (closed ? "closed" : "open, task last on " + (h == null ? "?" : h.getName())) + "]";
    }
}
