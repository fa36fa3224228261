package io.lockstep.spin;

import io.lockstep.lock.LockContract;
import java.util.concurrent.locks.Lock;

class TtasLockLockContractTest extends LockContract {
    @Override
    protected Lock newLock() {
        return new TtasLock();
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
