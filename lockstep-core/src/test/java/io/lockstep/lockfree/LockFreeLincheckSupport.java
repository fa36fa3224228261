package io.lockstep.lockfree;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/** The Lincheck settings shared by the lock-free structures' tests (kept small: < 15 s a class). */
final class LockFreeLincheckSupport {
    private LockFreeLincheckSupport() {}

    static void modelCheck(Class<?> test, boolean obstructionFree) {
        modelCheck(test, obstructionFree, 15);
    }

    /** Model checking with fewer scenarios, for a second, narrower operation set of a class. */
    static void modelCheck(Class<?> test, boolean obstructionFree, int iterations) {
        new ModelCheckingOptions().iterations(iterations).invocationsPerIteration(300)
                .threads(3).actorsPerThread(3).checkObstructionFreedom(obstructionFree).check(test);
    }

    /**
     * Model checking with the obstruction-freedom check, but without Lincheck's await-loop
     * analysis (on by default since 3.x), which reports any loop iteration that goes back to the
     * loop head without writing as a wait for another thread, and so flags the read-only
     * "my snapshot is stale, start over" retry of a lock-free loop (see
     * {@link MsQueueLincheckTest}). The check keeps its teeth: a thread that runs one loop more
     * than {@code loopIterations} times in a row without another thread taking a step is still
     * reported as an active lock, so {@code loopIterations} is the longest bounded wait the
     * structure may do in isolation (Lincheck's default is 10).
     */
    static void modelCheckRetryLoops(Class<?> test, int loopIterations) {
        new ModelCheckingOptions().iterations(15).invocationsPerIteration(300)
                .threads(3).actorsPerThread(3).checkObstructionFreedom(true)
                .enableAwaitLoopsAnalysis(false)
                .loopIterationsBeforeThreadSwitch(loopIterations).loopBound(Math.max(50, 2 * loopIterations))
                .check(test);
    }

    static void stress(Class<?> test) {
        new StressOptions().iterations(15).invocationsPerIteration(500)
                .threads(3).actorsPerThread(3).check(test);
    }
}
