package io.lockstep.atomic;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Linearizability of AtomicLongCell's operations, each with a weak-as-allowed ordering. */
@Param(name = "v", gen = IntGen.class, conf = "0:3")
public class AtomicLongCellLincheckTest {
    private final AtomicLongCell cell = new AtomicLongCell(0);

    @Operation
    public long load() {
        return cell.load(Ordering.ACQUIRE);
    }

    @Operation
    public void store(@Param(name = "v") int v) {
        cell.store(v, Ordering.RELEASE);
    }

    @Operation
    public long swap(@Param(name = "v") int v) {
        return cell.swap(v, Ordering.ACQ_REL);
    }

    @Operation
    public long compareExchange(@Param(name = "v") int expected, @Param(name = "v") int desired) {
        return cell.compareExchange(expected, desired, Ordering.ACQ_REL, Ordering.ACQUIRE);
    }

    @Operation
    public long fetchAdd(@Param(name = "v") int delta) {
        return cell.fetchAdd(delta, Ordering.RELAXED);
    }

    @Operation
    public long fetchUpdate() {
        return cell.fetchUpdate(x -> x * 2 + 1, Ordering.SEQ_CST);
    }

    @Test
    @Timeout(60)
    void modelCheck() {
        new ModelCheckingOptions().iterations(15).invocationsPerIteration(200)
                .threads(3).actorsPerThread(3).check(getClass());
    }
}
