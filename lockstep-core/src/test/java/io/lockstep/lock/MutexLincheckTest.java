package io.lockstep.lock;

import java.util.Optional;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: a counter guarded by a {@code Mutex<Integer>}, driven only through the non-blocking
 * {@code tryLock} and guards, is linearizable against a sequential model of "a lock plus a
 * counter". Each scenario thread keeps the guard it holds in its own slot (guards belong to the
 * thread that locked), so every operation is a single step: take the guard, increment through
 * it, read through it, close it.
 *
 * <p>Not an operation here: "tryLock, increment, close" in one call. Its lock is held for an
 * interval, not at a point, so two overlapping calls can both see the other's hold and fail,
 * which no sequential order of a lock-free model explains; Lincheck reports exactly that.
 */
class MutexLincheckTest {

    @Param(name = "tid", gen = ThreadIdGen.class)
    public static class CounterOps {
        private final Mutex<Integer> counter = Mutex.of(0);
        @SuppressWarnings({"unchecked", "rawtypes"})
        private final MutexGuard<Integer>[] held = new MutexGuard[8];   // slot per scenario thread

        @Operation
        public boolean tryLock(@Param(name = "tid") int tid) {
            if (held[tid] != null) return false;               // RawMutex: not reentrant
            Optional<MutexGuard<Integer>> g = counter.tryLock();
            g.ifPresent(guard -> held[tid] = guard);
            return g.isPresent();
        }

        /** Increments through the guard; -1 if this thread holds none. */
        @Operation
        public int increment(@Param(name = "tid") int tid) {
            MutexGuard<Integer> g = held[tid];
            return g == null ? -1 : g.update(c -> c + 1);
        }

        @Operation
        public int read(@Param(name = "tid") int tid) {
            MutexGuard<Integer> g = held[tid];
            return g == null ? -1 : g.get();
        }

        @Operation
        public boolean close(@Param(name = "tid") int tid) {
            MutexGuard<Integer> g = held[tid];
            if (g == null) return false;
            held[tid] = null;
            g.close();
            return true;
        }
    }

    public static class CounterSpec {
        private int owner = -1, value;

        public boolean tryLock(int tid) {
            if (owner != -1) return false;
            owner = tid;
            return true;
        }

        public int increment(int tid) {
            return owner == tid ? ++value : -1;
        }

        public int read(int tid) {
            return owner == tid ? value : -1;
        }

        public boolean close(int tid) {
            if (owner != tid) return false;
            owner = -1;
            return true;
        }
    }

    @Test
    void mutexGuardedCounter() {
        RawMutexLincheckTest.check(CounterOps.class, CounterSpec.class);
    }
}
