package io.lockstep.lock;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/** Calibration: the JDK's ReentrantLock must pass the contract too, or the contract is wrong. */
class ReentrantLockLockContractTest extends LockContract {
    @Override
    protected Lock newLock() {
        return new ReentrantLock();
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
