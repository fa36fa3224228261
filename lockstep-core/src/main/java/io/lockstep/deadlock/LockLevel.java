package io.lockstep.deadlock;

import java.util.Objects;
import java.util.concurrent.locks.Lock;

/**
 * A level in a lock hierarchy: locks are taken in increasing level order, so no cycle of waits
 * can form. A {@link LeveledLock} refuses, with {@link IllegalStateException}, to be taken by a
 * thread that already holds a lock of the same or a higher level.
 *
 * <pre>{@code
 * static final LockLevel ACCOUNTS = LockLevel.of("accounts", 10);
 * static final LockLevel LEDGER = LockLevel.of("ledger", 20);
 * final Lock accountLock = ACCOUNTS.guard(new RawMutex());
 * final Lock ledgerLock = LEDGER.guard(new RawMutex());
 *
 * accountLock.lock(); ledgerLock.lock();     // 10 then 20: fine
 * ledgerLock.lock(); accountLock.lock();     // IllegalStateException: accounts (10) while holding ledger (20)
 * }</pre>
 * Equal levels are refused too: two locks of one level taken in either order are exactly the
 * deadlock the hierarchy exists to prevent. Give such locks distinct ranks, or leave them
 * unleveled and take them together with {@link Locks#lockAll}.
 *
 * @param name shown in violation messages
 * @param rank the order: lower ranks first
 */
public record LockLevel(String name, int rank) {
    /** Checks the name. */
    public LockLevel {
        Objects.requireNonNull(name, "name");
    }

    /** A level named {@code name} with rank {@code rank}. */
    public static LockLevel of(String name, int rank) {
        return new LockLevel(name, rank);
    }

    /** {@code lock} at this level. */
    public LeveledLock guard(Lock lock) {
        return new LeveledLock(this, lock);
    }

    @Override
    public String toString() {
        return name + " (" + rank + ")";
    }
}
