package io.lockstep.sync;

import java.util.Optional;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of Semaphore's non-blocking operations (tryAcquire, release, forgetPermits,
 * availablePermits, drainPermits, reducePermits) against a plain bounded counter that may go
 * negative ({@link Spec}). Acquired permits are forgotten so that each operation stays a single
 * step.
 */
@Param(name = "n", gen = IntGen.class, conf = "1:3")
@Timeout(60)
public class SemaphoreLincheckTest {
    private final Semaphore semaphore = Semaphore.bounded(2, 6);

    @Operation
    public boolean tryAcquire(@Param(name = "n") int n) {
        Optional<Permit> p = semaphore.tryAcquire(n);
        p.ifPresent(Permit::forget);
        return p.isPresent();
    }

    @Operation
    public String release(@Param(name = "n") int n) {
        try {
            semaphore.release(n);
            return "released";
        } catch (IllegalStateException pastMaximum) {
            return "refused";
        }
    }

    @Operation
    public int forgetPermits(@Param(name = "n") int n) {
        return semaphore.forgetPermits(n);
    }

    @Operation
    public int availablePermits() {
        return semaphore.availablePermits();
    }

    @Operation
    public int drainPermits() {
        return semaphore.drainPermits();
    }

    @Operation
    public void reducePermits(@Param(name = "n") int n) {
        semaphore.reducePermits(n);
    }

    /** The sequential specification: a bounded counter. */
    public static class Spec {
        private int permits = 2;

        public boolean tryAcquire(int n) {
            if (permits < n) return false;                  // also while in debt
            permits -= n;
            return true;
        }

        public String release(int n) {
            if (permits + n > 6) return "refused";
            permits += n;
            return "released";
        }

        public int forgetPermits(int n) {
            int taken = Math.max(0, Math.min(n, permits));
            permits -= taken;
            return taken;
        }

        public int availablePermits() {
            return permits;
        }

        public int drainPermits() {
            int drained = permits;
            permits = 0;
            return drained;
        }

        public void reducePermits(int n) {
            permits -= n;
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(6).invocationsPerIteration(150).threads(3).actorsPerThread(3)
                .sequentialSpecification(Spec.class).check(getClass());
    }

    @Test
    void stress() {
        new StressOptions().iterations(6).invocationsPerIteration(200).threads(3).actorsPerThread(3)
                .sequentialSpecification(Spec.class).check(getClass());
    }
}
