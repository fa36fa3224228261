package io.lockstep.spin;

import io.lockstep.lock.LockContract;
import java.util.concurrent.locks.Lock;

class TicketLockLockContractTest extends LockContract {
    @Override
    protected Lock newLock() {
        return new TicketLock();
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
