package io.lockstep.testing;

import io.lockstep.lock.ConditionTckContract;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/** Calibration, from another package: the JDK lock the TCK was written for must pass these too. */
class ReentrantLockConditionTckTest extends ConditionTckContract {
    @Override
    protected Lock newLock() {
        return new ReentrantLock();
    }
}
