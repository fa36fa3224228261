package io.lockstep.spin;

import io.lockstep.lock.LockContract;
import java.util.concurrent.locks.Lock;

/** The write side of a SpinRwLock is a plain exclusive lock. */
class SpinRwLockWriteLockContractTest extends LockContract {
    @Override
    protected Lock newLock() {
        return new SpinRwLock().writeLock();
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
