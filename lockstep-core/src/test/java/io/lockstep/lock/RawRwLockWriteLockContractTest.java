package io.lockstep.lock;

import java.util.concurrent.locks.Lock;

/** The write side of a RawRwLock is a plain exclusive lock. */
class RawRwLockWriteLockContractTest extends LockContract {
    @Override
    protected Lock newLock() {
        return new RawRwLock().writeLock();
    }

    @Override
    protected boolean reentrant() {
        return false;
    }

    @Override
    protected boolean supportsConditions() {
        return false;
    }
}
