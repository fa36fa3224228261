package io.lockstep.deadlock;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A {@link Lock} with a {@link LockLevel}: taking it while holding a leveled lock of the same or a
 * higher level throws {@link IllegalStateException} before waiting, leaving the lock untaken.
 * Made by {@link LockLevel#guard}; see there for an example.
 *
 * <p>Reentrant locks: an inner hold of a lock this thread already holds is not checked (it cannot
 * wait). Each thread's held levels are kept in a thread-local list; unlock in any order.
 */
public final class LeveledLock implements Lock {
    /*
     * Implementation notes. Based on the lock hierarchies of Windows' driver verifier and
     * Anthony Williams' hierarchical_mutex (C++ Concurrency in Action, 3.2.5); differences: a
     * held list rather than one "current level" (so unlocking out of order is fine), and equal
     * levels refused. The check runs before the wait, so a violation never leaves the lock held.
     */
    private static final ThreadLocal<List<LeveledLock>> HELD = ThreadLocal.withInitial(ArrayList::new);

    private final LockLevel level;
    private final Lock lock;

    LeveledLock(LockLevel level, Lock lock) {
        this.level = Objects.requireNonNull(level, "level");
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /** This lock's level. */
    public LockLevel level() {
        return level;
    }

    /** Throws unless every other leveled lock this thread holds is of a lower rank. */
    private void check() {
        for (LeveledLock h : HELD.get()) {
            if (h != this && h.level.rank() >= level.rank()) {
                throw new IllegalStateException("lock-level violation: taking " + level + " while holding "
                        + h.level + "; take lower levels first");
            }
        }
    }

    @Override
    public void lock() {
        check();
        lock.lock();
        HELD.get().add(this);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        check();
        lock.lockInterruptibly();
        HELD.get().add(this);
    }

    @Override
    public boolean tryLock() {
        check();
        if (!lock.tryLock()) return false;
        HELD.get().add(this);
        return true;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        check();
        if (!lock.tryLock(time, unit)) return false;
        HELD.get().add(this);
        return true;
    }

    @Override
    public void unlock() {
        lock.unlock();
        List<LeveledLock> held = HELD.get();
        int i = held.lastIndexOf(this);
        if (i >= 0) held.remove(i);
    }

    /** The underlying lock's condition; waiting on it keeps this lock's level as held. */
    @Override
    public Condition newCondition() {
        return lock.newCondition();
    }

    @Override
    public String toString() {
        return lock + " at " + level;
    }
}
