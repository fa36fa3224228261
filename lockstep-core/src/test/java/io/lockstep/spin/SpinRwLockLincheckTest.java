package io.lockstep.spin;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SpinRwLock}'s non-blocking operations against a sequential reader-writer model: readers
 * share, a writer excludes everyone. Each Lincheck thread unlocks only what it holds (the read
 * side does not track owners), so the test tracks holds per thread id.
 */
@Param(name = "thread", gen = ThreadIdGen.class)
public class SpinRwLockLincheckTest {
    private final SpinRwLock lock = new SpinRwLock();
    private final int[] reads = new int[4];
    private final boolean[] writes = new boolean[4];

    @Operation
    public boolean tryRead(@Param(name = "thread") int thread) {
        if (!lock.readLock().tryLock()) return false;
        reads[thread]++;
        return true;
    }

    @Operation
    public boolean tryWrite(@Param(name = "thread") int thread) {
        if (writes[thread] || !lock.writeLock().tryLock()) return false;
        writes[thread] = true;
        return true;
    }

    @Operation
    public boolean unlockRead(@Param(name = "thread") int thread) {
        if (reads[thread] == 0) return false;
        reads[thread]--;
        lock.readLock().unlock();
        return true;
    }

    @Operation
    public boolean unlockWrite(@Param(name = "thread") int thread) {
        if (!writes[thread]) return false;
        writes[thread] = false;
        lock.writeLock().unlock();
        return true;
    }

    /** The sequential model. */
    public static class Spec {
        private final int[] reads = new int[4];
        private int writer = -1;

        public boolean tryRead(int thread) {
            if (writer != -1) return false;
            reads[thread]++;
            return true;
        }

        public boolean tryWrite(int thread) {
            if (writer != -1 || java.util.Arrays.stream(reads).sum() != 0) return false;
            writer = thread;
            return true;
        }

        public boolean unlockRead(int thread) {
            if (reads[thread] == 0) return false;
            reads[thread]--;
            return true;
        }

        public boolean unlockWrite(int thread) {
            if (writer != thread) return false;
            writer = -1;
            return true;
        }
    }

    @Test
    @Timeout(60)
    void modelCheck() {
        new ModelCheckingOptions()
                .iterations(15)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(0)
                .actorsAfter(0)
                .sequentialSpecification(Spec.class)
                .check(getClass());
    }
}
