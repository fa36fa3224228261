package io.lockstep.channel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Queue;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/**
 * Fray (-Pfray): a snapshot ({@code contains}, iterators) must see an element its own thread
 * added and nobody took, whatever another producer is doing (issue 12, item 7). The schedules
 * that broke it: the other producer has reserved the slot before x's and not yet written it
 * (the snapshot stopped there), or, on the unbounded channel, it has moved tail into a new block
 * and not yet linked that block (the snapshot stopped at the missing link, and x was in that
 * block). Fray finds the second at once (it failed before the fix); it did not find the first
 * in 300 iterations on either ring or on the list, so SlotRingTest and FlavorSnapshotTest make
 * that schedule by hand through the two-phase API, and SnapshotStressTest races it.
 */
@ExtendWith(FrayTestExtension.class)
class FraySnapshotTest {

    // (30 buffered) send a | send x; contains(x); iterate       a and x: the last slot of the
    // first block and the first of the next; nobody receives, so x must be found
    @ConcurrencyTest(iterations = 100)
    void unboundedViewAcrossABlock() throws InterruptedException {
        Queue<Object> q = Channel.unbounded().asBlockingQueue();
        for (int i = 0; i < 30; i++) q.add(i);              // a block holds 31
        Thread other = new Thread(() -> q.offer("a"));
        other.start();
        Object x = new Object();
        assertTrue(q.offer(x));
        assertTrue(q.contains(x), "contains(x) after my own add(x)");
        boolean iterated = false;
        for (Object o : q) iterated |= o == x;
        assertTrue(iterated, "the iterator returns x");
        other.join();
    }
}
