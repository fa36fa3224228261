package io.lockstep.lockfree;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/** The Lincheck settings shared by the lock-free structures' tests (kept small: < 15 s a class). */
final class LockFreeLincheckSupport {
    private LockFreeLincheckSupport() {}

    static void modelCheck(Class<?> test, boolean obstructionFree) {
        new ModelCheckingOptions().iterations(15).invocationsPerIteration(300)
                .threads(3).actorsPerThread(3).checkObstructionFreedom(obstructionFree).check(test);
    }

    static void stress(Class<?> test) {
        new StressOptions().iterations(15).invocationsPerIteration(500)
                .threads(3).actorsPerThread(3).check(test);
    }
}
