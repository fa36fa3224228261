package io.lockstep.lockfree;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Linearizability and obstruction-freedom of {@link TreiberStack}, against itself run sequentially. */
@Param(name = "value", gen = IntGen.class, conf = "1:5")
@Timeout(60)
public class TreiberStackLincheckTest {
    private final TreiberStack<Integer> stack = new TreiberStack<>();

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
        LockFreeLincheckSupport.modelCheck(getClass(), true);
    }

    @Test
    void stress() {
        LockFreeLincheckSupport.stress(getClass());
    }
}
