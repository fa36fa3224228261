package io.lockstep.lockfree;

import java.util.Queue;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * The Lincheck operations the lock-free queue tests share: offer, poll, peek, isEmpty and
 * interior removal, on the queue a subclass passes in. Values 1..3, so that a remove usually
 * finds its value somewhere.
 */
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public abstract class QueueOperations {
    private final Queue<Integer> queue;

    protected QueueOperations(Queue<Integer> queue) {
        this.queue = queue;
    }

    @Operation
    public boolean offer(@Param(name = "value") int value) {
        return queue.offer(value);
    }

    @Operation
    public Integer poll() {
        return queue.poll();
    }

    @Operation
    public Integer peek() {
        return queue.peek();
    }

    @Operation
    public boolean remove(@Param(name = "value") int value) {
        return queue.remove(value);
    }

    @Operation
    public boolean isEmpty() {
        return queue.isEmpty();
    }
}
