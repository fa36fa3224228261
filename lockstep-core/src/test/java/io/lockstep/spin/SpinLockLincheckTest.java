package io.lockstep.spin;

import java.util.concurrent.locks.Lock;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Timeout;

/**
 * Mutual exclusion and linearizability of a spin lock's non-blocking operations (tryLock,
 * unlock, including unlock by a non-holder), model-checked against {@link LockSpec}. One
 * subclass per lock, below; Lincheck never runs blocking operations.
 */
@Param(name = "thread", gen = ThreadIdGen.class)
abstract class SpinLockLincheckTest {
    private final Lock lock = newLock();

    abstract Lock newLock();

    @Operation
    public boolean tryLock(@Param(name = "thread") int thread) {
        return lock.tryLock();
    }

    @Operation
    public boolean unlock(@Param(name = "thread") int thread) {
        try {
            lock.unlock();
            return true;
        } catch (IllegalMonitorStateException notHolder) {
            return false;
        }
    }

    @org.junit.jupiter.api.Test
    @Timeout(60)
    void modelCheck() {
        new ModelCheckingOptions()
                .iterations(15)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(0)
                .actorsAfter(0)
                .sequentialSpecification(LockSpec.class)
                .check(getClass());
    }
}
