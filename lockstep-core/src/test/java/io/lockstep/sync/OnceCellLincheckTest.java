package io.lockstep.sync;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of OnceCell against a plain write-once field ({@link Spec}): get, set and
 * getOrInit behave as one atomic write-once cell. The
 * initializers are instantaneous, so a caller waits only while another's one-step initializer runs.
 */
@Param(name = "v", gen = IntGen.class, conf = "1:4")
@Timeout(60)
public class OnceCellLincheckTest {
    private final OnceCell<Integer> cell = new OnceCell<>();

    @Operation
    public Integer get() {
        return cell.get().orElse(null);
    }

    @Operation
    public boolean set(@Param(name = "v") int v) {
        return cell.set(v);
    }

    @Operation
    public Integer getOrInit(@Param(name = "v") int v) {
        return cell.getOrInit(() -> v);
    }

    @Operation
    public boolean isSet() {
        return cell.isSet();
    }

    /** The sequential specification: a plain write-once field. */
    public static class Spec {
        private Integer value;

        public Integer get() {
            return value;
        }

        public boolean set(int v) {
            if (value != null) return false;
            value = v;
            return true;
        }

        public Integer getOrInit(int v) {
            if (value == null) value = v;
            return value;
        }

        public boolean isSet() {
            return value != null;
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(6).invocationsPerIteration(150).threads(3).actorsPerThread(2)
                .sequentialSpecification(Spec.class).check(getClass());
    }
}
