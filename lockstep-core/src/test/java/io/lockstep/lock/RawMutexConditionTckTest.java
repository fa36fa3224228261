package io.lockstep.lock;

import java.util.concurrent.locks.Lock;

class RawMutexConditionTckTest extends ConditionTckContract {
    @Override
    protected Lock newLock() {
        return new RawMutex();
    }
}
