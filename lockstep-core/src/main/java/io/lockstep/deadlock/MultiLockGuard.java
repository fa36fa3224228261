package io.lockstep.deadlock;

import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * Several locks held together, taken by {@link Locks#lockAll} or {@link Locks#tryLockAll};
 * {@link #close()} releases them in the reverse of the order they were taken. A second close does
 * nothing. Close it on the thread that took it.
 *
 * <pre>{@code
 * try (MultiLockGuard g = Locks.lockAll(from.lock, to.lock)) {
 *     from.balance -= amount;
 *     to.balance += amount;
 * }
 * }</pre>
 */
public final class MultiLockGuard implements AutoCloseable {
    private final List<Lock> taken;                           // in acquisition order
    private boolean closed;                                   // owner thread only

    MultiLockGuard(List<Lock> taken) {
        this.taken = List.copyOf(taken);
    }

    /** The locks, in the order they were taken. */
    public List<Lock> locks() {
        return taken;
    }

    /** Unlocks every lock, last taken first; every lock is unlocked even if one throws. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Locks.unlockAll(taken, taken.size());
    }
}
