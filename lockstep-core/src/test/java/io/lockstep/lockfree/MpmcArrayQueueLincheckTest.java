package io.lockstep.lockfree;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of {@link MpmcArrayQueue} (capacity 2, so full and wrap-around occur). No
 * obstruction-freedom check: the queue is documented as not lock-free (a peer between claim and
 * publish makes the next operation on that slot wait), and Lincheck would rightly flag it.
 */
@Param(name = "value", gen = IntGen.class, conf = "1:5")
@Timeout(60)
public class MpmcArrayQueueLincheckTest {
    private final MpmcArrayQueue<Integer> queue = new MpmcArrayQueue<>(2);

    @Operation
    public boolean offer(@Param(name = "value") int value) {
        return queue.offer(value);
    }

    @Operation
    public Integer poll() {
        return queue.poll();
    }

    @Operation
    public int size() {
        return queue.size();
    }

    @Test
    void modelChecking() {
        LockFreeLincheckSupport.modelCheck(getClass(), false);
    }

    @Test
    void stress() {
        LockFreeLincheckSupport.stress(getClass());
    }
}
