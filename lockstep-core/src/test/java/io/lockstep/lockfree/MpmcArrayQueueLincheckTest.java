package io.lockstep.lockfree;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of {@link MpmcArrayQueue} (capacity 2, so full and wrap-around occur),
 * interior removal and peek included. No obstruction-freedom check: the queue is documented as
 * not lock-free (a peer between claim and publish makes the next operation on that slot wait),
 * and Lincheck would rightly flag it.
 *
 * <p>{@code size} is checked only without removals ({@link WithoutRemoval}): with them it is a
 * snapshot, not linearizable, since a remover marks a slot before it counts it in
 * {@code removed} and a receiver passes a marked slot before it uncounts it. Lincheck finds
 * that at once: {@code offer(2); poll() || remove(2); size()} gives 1 on an empty queue when
 * the poll passes the marked slot between the remover's mark and its count.
 */
@Timeout(60)
public class MpmcArrayQueueLincheckTest extends QueueOperations {
    public MpmcArrayQueueLincheckTest() {
        super(new MpmcArrayQueue<>(2));
    }

    @Test
    void modelChecking() {
        LockFreeLincheckSupport.modelCheck(getClass(), false);
    }

    @Test
    void stress() {
        LockFreeLincheckSupport.stress(getClass());
    }

    @Test
    void sizeWithoutRemovalModelChecking() {
        LockFreeLincheckSupport.modelCheck(WithoutRemoval.class, false, 6);
    }

    /** offer, poll and size: size is linearizable while nothing is removed from the middle. */
    @Param(name = "value", gen = IntGen.class, conf = "1:3")
    public static class WithoutRemoval {
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
    }
}
