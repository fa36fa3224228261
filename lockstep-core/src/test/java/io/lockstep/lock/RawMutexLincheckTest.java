package io.lockstep.lock;

import io.lockstep.testing.Stress;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: the non-blocking operations of RawMutex and ReentrantMutex (tryLock, zero-timeout
 * tryLock, unlock, unlockFair and the queries) are linearizable against a sequential lock model.
 *
 * <p>Each Lincheck operation runs on its scenario thread, and unlock must be by the owner, so
 * every operation takes the scenario thread's id ({@link ThreadIdGen}); the model uses it as the
 * owner, the real lock uses the real thread. An unlock by a non-owner is an operation like any
 * other: it must throw IllegalMonitorStateException (modelled as {@code false}) and change
 * nothing. Only the parallel part is generated (no init/post parts), so the id is always the
 * thread that runs the operation.
 */
class RawMutexLincheckTest {

    static <T> void check(Class<T> test, Class<?> spec) {
        new ModelCheckingOptions()
                .sequentialSpecification(spec)
                .iterations(Stress.iterations(20)).invocationsPerIteration(1_000)
                .threads(3).actorsPerThread(3).actorsBefore(0).actorsAfter(0)
                .check(test);
        new StressOptions()
                .sequentialSpecification(spec)
                .iterations(Stress.iterations(20)).invocationsPerIteration(2_000)
                .threads(3).actorsPerThread(4).actorsBefore(0).actorsAfter(0)
                .check(test);
    }

    // ------------------------------------------------------------ RawMutex

    @Param(name = "tid", gen = ThreadIdGen.class)
    public static class RawOps {
        private final RawMutex m = new RawMutex();

        @Operation
        public boolean tryLock(@Param(name = "tid") int tid) {
            return m.tryLock();
        }

        @Operation
        public boolean tryLockZeroTimeout(@Param(name = "tid") int tid) throws InterruptedException {
            return m.tryLock(0, TimeUnit.NANOSECONDS);
        }

        @Operation
        public boolean unlock(@Param(name = "tid") int tid) {
            try {
                m.unlock();
                return true;
            } catch (IllegalMonitorStateException notOwner) {
                return false;
            }
        }

        @Operation
        public boolean unlockFair(@Param(name = "tid") int tid) {
            try {
                m.unlockFair();
                return true;
            } catch (IllegalMonitorStateException notOwner) {
                return false;
            }
        }

        @Operation
        public boolean isLocked() {
            return m.isLocked();
        }

        @Operation
        public boolean isHeldByCurrentThread(@Param(name = "tid") int tid) {
            return m.isHeldByCurrentThread();
        }
    }

    /** The model: an owner id, or -1. */
    public static class RawSpec {
        private int owner = -1;

        public boolean tryLock(int tid) {
            if (owner != -1) return false;               // held, by us too: not reentrant
            owner = tid;
            return true;
        }

        public boolean tryLockZeroTimeout(int tid) {
            return tryLock(tid);
        }

        public boolean unlock(int tid) {
            if (owner != tid) return false;
            owner = -1;
            return true;
        }

        public boolean unlockFair(int tid) {
            return unlock(tid);
        }

        public boolean isLocked() {
            return owner != -1;
        }

        public boolean isHeldByCurrentThread(int tid) {
            return owner == tid;
        }
    }

    @Test
    void rawMutex() {
        check(RawOps.class, RawSpec.class);
    }

    // ------------------------------------------------------------ ReentrantMutex

    @Param(name = "tid", gen = ThreadIdGen.class)
    public static class ReentrantOps {
        private final ReentrantMutex m = new ReentrantMutex();

        @Operation
        public boolean tryLock(@Param(name = "tid") int tid) {
            return m.tryLock();
        }

        @Operation
        public boolean tryLockZeroTimeout(@Param(name = "tid") int tid) throws InterruptedException {
            return m.tryLock(0, TimeUnit.NANOSECONDS);
        }

        @Operation
        public boolean unlock(@Param(name = "tid") int tid) {
            try {
                m.unlock();
                return true;
            } catch (IllegalMonitorStateException notOwner) {
                return false;
            }
        }

        @Operation
        public int getHoldCount(@Param(name = "tid") int tid) {
            return m.getHoldCount();
        }

        @Operation
        public boolean isLocked() {
            return m.isLocked();
        }
    }

    /** The model: an owner id (or -1) and its hold count. */
    public static class ReentrantSpec {
        private int owner = -1, holds;

        public boolean tryLock(int tid) {
            if (owner == -1) owner = tid;
            else if (owner != tid) return false;
            holds++;
            return true;
        }

        public boolean tryLockZeroTimeout(int tid) {
            return tryLock(tid);
        }

        public boolean unlock(int tid) {
            if (owner != tid) return false;
            if (--holds == 0) owner = -1;
            return true;
        }

        public int getHoldCount(int tid) {
            return owner == tid ? holds : 0;
        }

        public boolean isLocked() {
            return owner != -1;
        }
    }

    @Test
    void reentrantMutex() {
        check(ReentrantOps.class, ReentrantSpec.class);
    }
}
