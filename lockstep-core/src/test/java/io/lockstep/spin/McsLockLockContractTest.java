package io.lockstep.spin;

import io.lockstep.lock.LockContract;
import java.util.concurrent.locks.Lock;

class McsLockLockContractTest extends LockContract {
    @Override
    protected Lock newLock() {
        return new McsLock();
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
