package io.lockstep.lock;

import java.util.concurrent.locks.Lock;

class ReentrantMutexLockContractTest extends LockContract {
    @Override
    protected Lock newLock() {
        return new ReentrantMutex();
    }

    @Override
    protected boolean reentrant() {
        return true;
    }

    @Override
    protected boolean supportsConditions() {
        return true;
    }
}
