package io.lockstep.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of the queue view's interior removal racing sends and receives, for the ring
 * (bounded) and the block list (unbounded): a removed element is never also received, and a
 * remove does not miss an element that was buffered throughout. Values repeat on purpose
 * (1..3), so a remove may match an element a receiver is taking.
 *
 * <p>The unbounded view is checked against itself run sequentially (a plain FIFO queue). The
 * bounded one is checked against {@link BoundedModel}, the documented semantics: an element
 * removed from the middle keeps its ring slot until the older elements in front of it are
 * received.
 */
@Timeout(120)
class ChannelQueueLincheckTest {

    /** The operations, on a queue view the subclass chooses. */
    @Param(name = "value", gen = IntGen.class, conf = "1:3")
    public abstract static class QueueOps {
        private final BlockingQueue<Integer> q;

        QueueOps(Channel<Integer> channel) {
            this.q = channel.asBlockingQueue();
        }

        @Operation
        public boolean offer(@Param(name = "value") int v) {
            return q.offer(v);
        }

        @Operation
        public Integer poll() {
            return q.poll();
        }

        @Operation
        public boolean remove(@Param(name = "value") int v) {
            return q.remove(v);
        }
    }

    public static class Bounded extends QueueOps {
        public Bounded() {
            super(Channel.bounded(2));
        }
    }

    /** The bounded view's specification: a FIFO of capacity 2 whose removed slots leave at the head. */
    public static class BoundedModel {
        private static final Object REMOVED = new Object();
        private final List<Object> slots = new ArrayList<>();

        public boolean offer(int v) {
            if (slots.size() == 2) return false;
            slots.add(v);
            return true;
        }

        public Integer poll() {
            Integer v = slots.isEmpty() ? null : (Integer) slots.remove(0);
            trim();
            return v;
        }

        public boolean remove(int v) {
            int i = slots.indexOf(v);
            if (i < 0) return false;
            slots.set(i, REMOVED);
            trim();
            return true;
        }

        private void trim() {
            while (!slots.isEmpty() && slots.get(0) == REMOVED) slots.remove(0);
        }
    }

    public static class Unbounded extends QueueOps {
        public Unbounded() {
            super(Channel.unbounded());
        }
    }

    private static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions().iterations(20).invocationsPerIteration(400)
                .threads(3).actorsPerThread(3);
    }

    @Test
    void boundedModelChecking() {
        modelChecking().sequentialSpecification(BoundedModel.class).check(Bounded.class);
    }

    @Test
    void unboundedModelChecking() {
        modelChecking().check(Unbounded.class);
    }

    @Test
    void boundedStress() {
        new StressOptions().iterations(10).invocationsPerIteration(400).threads(3).actorsPerThread(3)
                .sequentialSpecification(BoundedModel.class).check(Bounded.class);
    }
}
