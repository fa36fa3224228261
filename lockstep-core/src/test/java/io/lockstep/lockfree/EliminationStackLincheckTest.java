package io.lockstep.lockfree;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability and obstruction-freedom of {@link EliminationStack}, against itself run
 * sequentially. A pusher whose value sits in an exchange slot waits up to
 * {@link EliminationStack#OFFER_SPINS} spins for a popper, then withdraws it: a bounded wait,
 * so still obstruction-free, but longer than Lincheck's default loop threshold (10), and a
 * read-only loop that its await-loop analysis takes for a spin lock (which is why this test
 * used to have no model checking). The model checker therefore runs with the loop threshold
 * just above the spin bound and without that analysis
 * ({@link LockFreeLincheckSupport#modelCheckRetryLoops}). An offer that waited without bound
 * still fails it (checked when this was written, with OFFER_SPINS set to Integer.MAX_VALUE:
 * the run reports a hang).
 */
@Param(name = "value", gen = IntGen.class, conf = "1:5")
@Timeout(60)
public class EliminationStackLincheckTest {
    private final EliminationStack<Integer> stack = new EliminationStack<>();

    @Operation
    public void push(@Param(name = "value") int value) {
        stack.push(value);
    }

    @Operation
    public Integer pop() {
        return stack.pop();
    }

    @Operation
    public boolean isEmpty() {
        return stack.isEmpty();
    }

    @Test
    void modelChecking() {
        // The spin loop's head is reached OFFER_SPINS + 1 times (the last one exits); with a
        // threshold of OFFER_SPINS + 1 Lincheck 3.7 flags the bounded wait, with + 2 it passes.
        LockFreeLincheckSupport.modelCheckRetryLoops(getClass(), EliminationStack.OFFER_SPINS + 2);
    }

    @Test
    void stress() {
        LockFreeLincheckSupport.stress(getClass());
    }
}
