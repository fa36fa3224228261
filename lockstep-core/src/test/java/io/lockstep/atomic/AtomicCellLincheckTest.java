package io.lockstep.atomic;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Linearizability of AtomicCell's reference operations (values interned, CAS is by identity). */
@Param(name = "v", gen = IntGen.class, conf = "0:2")
public class AtomicCellLincheckTest {
    private static final String[] VALUES = {"a", "b", "c"};
    private final AtomicCell<String> cell = new AtomicCell<>("a");

    @Operation
    public String load() {
        return cell.load(Ordering.ACQUIRE);
    }

    @Operation
    public void store(@Param(name = "v") int v) {
        cell.store(VALUES[v], Ordering.RELEASE);
    }

    @Operation
    public String swap(@Param(name = "v") int v) {
        return cell.swap(VALUES[v], Ordering.SEQ_CST);
    }

    @Operation
    public String compareExchange(@Param(name = "v") int expected, @Param(name = "v") int desired) {
        return cell.compareExchange(VALUES[expected], VALUES[desired], Ordering.RELEASE, Ordering.RELAXED);
    }

    @Operation
    public String fetchUpdate() {
        return cell.fetchUpdate(s -> s.equals("a") ? "b" : "a", Ordering.ACQ_REL);
    }

    @Test
    @Timeout(60)
    void modelCheck() {
        new ModelCheckingOptions().iterations(10).invocationsPerIteration(150)
                .threads(3).actorsPerThread(3).check(getClass());
    }
}
