package io.lockstep.channel;

import java.util.Queue;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lincheck's model checker as a schedule explorer for weakly consistent snapshots (issue 12,
 * item 7): {@code contains} and iteration are not linearizable, so they are not checked against
 * a sequential queue; instead {@link Ops#addThenFind} asserts the one thing they promise to a
 * caller who just added x: x is found if it was still there afterwards ({@code remove(x)},
 * linearizable, decides that). The churn operations return nothing, so the sequential
 * specification is just "addThenFind returns true". Before the fix the checker found a send
 * reserved and not yet written in front of x at once. Only the bounded view (SlotRing, as under
 * MpmcArrayQueue), with few scenarios: model checking these operations is slow, and the list
 * and the other users are covered by SnapshotStressTest, FlavorSnapshotTest and FraySnapshotTest.
 */
@Timeout(120)
class SnapshotLincheckTest {

    /** The operations, on a queue the subclass chooses. */
    public abstract static class Ops {
        private final Queue<Object> q;

        Ops(Queue<Object> q) {
            this.q = q;
        }

        @Operation
        public void offer() {
            q.offer(new Object());
        }

        @Operation
        public void poll() {
            q.poll();
        }

        /** Adds x, looks for it, removes it: false if x was there all along yet not found. */
        @Operation
        public boolean addThenFind() {
            Object x = new Object();
            if (!q.offer(x)) return true;                   // full: nothing to check
            boolean contained = q.contains(x);
            boolean iterated = false;
            for (Object o : q) iterated |= o == x;
            return contained && iterated || !q.remove(x);
        }
    }

    public static class Bounded extends Ops {
        public Bounded() {
            super(Channel.bounded(4).asBlockingQueue());
        }
    }

    /** The specification: addThenFind always succeeds; the rest has no result to compare. */
    public static class Spec {
        public void offer() {}

        public void poll() {}

        public boolean addThenFind() {
            return true;
        }
    }

    private static void check(Class<?> ops) {
        new ModelCheckingOptions().iterations(3).invocationsPerIteration(60).threads(2).actorsPerThread(2)
                .sequentialSpecification(Spec.class).check(ops);
    }

    @Test
    void bounded() {
        check(Bounded.class);
    }
}
