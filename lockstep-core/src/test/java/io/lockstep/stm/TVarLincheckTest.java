package io.lockstep.stm;

import org.jetbrains.kotlinx.lincheck.LinCheckerKt;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TVar operations through atomically (no retry: non-blocking only) are linearizable. */
@Param(name = "n", gen = IntGen.class, conf = "1:3")
@Timeout(60)
public class TVarLincheckTest {
    private final TVar<Integer> a = new TVar<>(10), b = new TVar<>(10);

    @Operation
    public int transfer(@Param(name = "n") int n) {
        return Stm.atomically(txn -> {
            txn.set(a, txn.get(a) - n);
            txn.set(b, txn.get(b) + n);
            return txn.get(a);
        });
    }

    @Operation
    public void commuteA(@Param(name = "n") int n) {
        Stm.run(txn -> txn.commute(a, v -> v + n));
    }

    @Operation
    public int sum() {
        return Stm.atomically(txn -> txn.get(a) * 100 + txn.get(b));
    }

    @Operation
    public int setB(@Param(name = "n") int n) {
        return Stm.atomically(txn -> {
            int old = txn.get(b);
            txn.set(b, n);
            return old;
        });
    }

    @Test
    void linearizable() {
        LinCheckerKt.check(new ModelCheckingOptions().iterations(2).invocationsPerIteration(50).threads(2)
                .actorsPerThread(2).sequentialSpecification(Spec.class), TVarLincheckTest.class);
    }

    /** The sequential specification: two plain ints. */
    public static final class Spec {
        private int a = 10, b = 10;

        public int transfer(int n) {
            a -= n;
            b += n;
            return a;
        }

        public void commuteA(int n) {
            a += n;
        }

        public int sum() {
            return a * 100 + b;
        }

        public int setB(int n) {
            int old = b;
            b = n;
            return old;
        }
    }
}
