package io.lockstep.rcu;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.kotlinx.lincheck.LinCheckerKt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rcu's read and update are linearizable: they behave as a register with get-and-update. */
@Param(name = "delta", gen = IntGen.class, conf = "1:3")
@Timeout(60)
public class RcuLincheckTest {
    private final Rcu<Integer> rcu = new Rcu<>(0);

    @Operation
    public int read() {
        return rcu.read(v -> v);
    }

    @Operation
    public int readNested() {
        try (RcuReadGuard<Integer> g = rcu.readLock()) {
            return g.get() + rcu.read(v -> 0);
        }
    }

    @Operation
    public int update(@Param(name = "delta") int delta) {
        return rcu.update(v -> v + delta);
    }

    @Test
    void linearizable() {
        LinCheckerKt.check(new ModelCheckingOptions().iterations(10).invocationsPerIteration(200).threads(2)
                .actorsPerThread(3).sequentialSpecification(Spec.class), RcuLincheckTest.class);
    }

    /** The sequential specification: a plain register. */
    public static final class Spec {
        private int value;

        public int read() {
            return value;
        }

        public int readNested() {
            return value;
        }

        public int update(int delta) {
            int old = value;
            value += delta;
            return old;
        }
    }
}
