package io.lockstep.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A hold on a {@link RawRwLock} taken by one of its async forms ({@link RawRwLock#lockReadAsync()},
 * {@link RawRwLock#lockWriteAsync()}, {@link RawRwLock#lockUpgradableAsync()}): the hold is owned
 * by this guard, not by a thread, so any thread may close it (see "Ownership" in the
 * {@linkplain io.lockstep.lock package docs}).
 *
 * <pre>{@code
 * rw.lockReadAsync().thenAccept(g -> {
 *     try (g) {
 *         render(snapshot);             // whichever thread runs this stage
 *     }
 * });
 * }</pre>
 *
 * <p>Closing releases the hold once; a second {@code close()} does nothing. {@link #upgrade()} and
 * {@link #downgrade()} close this guard and return a new one for the new mode, with nobody else
 * getting in between. Use a guard from one task at a time: hand it over with a happens-before
 * edge (as a future's completion gives).
 */
public final class RawRwLockGuard implements AutoCloseable {
    /*
     * Implementation notes. `closed` is the exactly-once switch: the CAS that sets it is the
     * only path to the release (or to the mode change of upgrade/downgrade), so racing closes
     * release once and the others do nothing.
     */
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(RawRwLockGuard.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What a guard holds. */
    public enum Mode {
        /** A read lock, shared with other readers. */
        READ,
        /** The write lock. */
        WRITE,
        /** The upgradable read lock: shared with readers, not with writers or another upgradable reader. */
        UPGRADABLE
    }

    private final RawRwLock lock;
    private final Mode mode;
    private volatile boolean closed;
    /** For reports only: the task's last known thread. */
    Thread holder;

    RawRwLockGuard(RawRwLock lock, Mode mode, Thread holder) {
        this.lock = lock;
        this.mode = mode;
        this.holder = holder;
    }

    /** The lock this guard holds (or held). */
    public RawRwLock lock() {
        return lock;
    }

    /** What this guard holds. */
    public Mode mode() {
        return mode;
    }

    /** Whether this guard has been closed (or upgraded, or downgraded). */
    public boolean isClosed() {
        return closed;
    }

    /** Releases the hold, from any thread; does nothing if already closed. */
    @Override
    public void close() {
        if (CLOSED.compareAndSet(this, false, true)) lock.releaseGuardOwned(this);
    }

    /**
     * Turns an upgradable hold into the write lock, closing this guard: the calling thread waits
     * (uninterruptibly, as {@link RawRwLock#upgrade()}) for the plain readers to leave; no other
     * writer gets in between.
     *
     * @throws IllegalStateException if this guard is not upgradable, or is closed
     */
    public RawRwLockGuard upgrade() {
        if (mode != Mode.UPGRADABLE) throw new IllegalStateException("only an upgradable guard upgrades; this one is " + mode);
        take("upgrade");
        RawRwLockGuard write = new RawRwLockGuard(lock, Mode.WRITE, Thread.currentThread());
        lock.upgradeGuardOwned(this, write);
        return write;
    }

    /**
     * Turns a write or upgradable hold into a read hold without letting a writer in, closing
     * this guard; readers waiting behind a write hold are let in.
     *
     * @throws IllegalStateException if this guard holds a read lock, or is closed
     */
    public RawRwLockGuard downgrade() {
        if (mode == Mode.READ) throw new IllegalStateException("a read guard cannot downgrade");
        take("downgrade");
        RawRwLockGuard read = new RawRwLockGuard(lock, Mode.READ, Thread.currentThread());
        lock.downgradeGuardOwned(this, read);
        return read;
    }

    private void take(String what) {
        if (!CLOSED.compareAndSet(this, false, true)) {
            throw new IllegalStateException(what + " of a closed guard of " + lock);
        }
    }

    /** The thread to blame in a report: the one that asked for the hold or changed its mode. */
    Thread holderThread() {
        return holder;
    }

    @Override
    public String toString() {
        return "RawRwLockGuard[" + mode.name().toLowerCase(java.util.Locale.ROOT) + ", " + (closed ? "closed" : "open") + "]";
    }
}
