package io.lockstep.spin;

import io.lockstep.lock.LockContract;
import java.util.concurrent.locks.Lock;

class TasLockLockContractTest extends LockContract {
    @Override
    protected Lock newLock() {
        return new TasLock();
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
