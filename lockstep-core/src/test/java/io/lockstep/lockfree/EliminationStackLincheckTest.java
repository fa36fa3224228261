package io.lockstep.lockfree;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of {@link EliminationStack} under Lincheck's stress strategy, against itself
 * run sequentially. No model checking: a pusher whose value sits in the exchange waits a bounded
 * number of spins for a popper, which the model checker reports as a hang once the other threads
 * are done (it cannot tell a bounded wait from a spin lock).
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
    void stress() {
        LockFreeLincheckSupport.stress(getClass());
    }
}
