package io.lockstep.lock;

import java.util.concurrent.locks.Lock;

class RawMutexLockContractTest extends LockContract {
    @Override
    protected Lock newLock() {
        return new RawMutex();
    }

    @Override
    protected boolean reentrant() {
        return false;
    }

    @Override
    protected boolean supportsConditions() {
        return true;
    }
}
