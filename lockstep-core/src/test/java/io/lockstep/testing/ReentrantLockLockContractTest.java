package io.lockstep.testing;

import io.lockstep.lock.LockContract;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Calibration: the JDK's ReentrantLock must pass the contract too, or the contract is wrong.
 * It lives outside {@code io.lockstep.lock} on purpose: it proves the contract can be extended
 * from another package, as the spin locks' tests in {@code io.lockstep.spin} will.
 */
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
