package io.lockstep.lock;

import io.lockstep.internal.TrackedHolds;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A foreign {@link Lock} (a JUC {@code ReentrantLock}, or any lock that is not Lockstep's own)
 * under a {@link Mutex}, reporting its acquisitions and releases to the lock-order validator and
 * the deadlock detector through {@link TrackedHolds}. Mutex puts it in only when lock-order
 * tracking is compiled in ({@code LockTracking.ENABLED}), so with tracking off the Mutex holds
 * the lock itself and pays nothing.
 */
final class TrackedLock implements Lock {
    private final Lock lock;

    TrackedLock(Lock lock) {
        this.lock = lock;
    }

    /** Whether {@code lock} needs this wrapper: Lockstep's own locks report themselves. */
    static boolean isForeign(Lock lock) {
        return !lock.getClass().getName().startsWith("io.lockstep.");
    }

    @Override
    public void lock() {
        TrackedHolds.acquiring(this);
        boolean acquired = false;
        try {
            lock.lock();
            acquired = true;
        } finally {
            TrackedHolds.acquireEnded(this, acquired);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        TrackedHolds.acquiring(this);
        boolean acquired = false;
        try {
            lock.lockInterruptibly();
            acquired = true;
        } finally {
            TrackedHolds.acquireEnded(this, acquired);
        }
    }

    @Override
    public boolean tryLock() {
        if (!lock.tryLock()) return false;
        TrackedHolds.tryAcquired(this);
        return true;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        if (!lock.tryLock(time, unit)) return false;
        TrackedHolds.tryAcquired(this);
        return true;
    }

    @Override
    public void unlock() {
        TrackedHolds.released(this);           // nothing for a non-holder, whose unlock throws below
        lock.unlock();
    }

    /** The foreign lock's condition: its waits release and re-take the lock unreported. */
    @Override
    public Condition newCondition() {
        return lock.newCondition();
    }

    @Override
    public String toString() {
        return lock.toString();
    }
}
