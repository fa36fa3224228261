package io.lockstep.lockfree;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability and obstruction-freedom of {@link MsQueue}, against itself run sequentially:
 * offer, poll, peek, isEmpty and interior removal ({@code remove(value)}, values 1..3 so that
 * removes find their value). A poll that claims its element by the head CAS alone, as plain M-S
 * does, instead of by the item CAS, fails here ({@code offer(3); remove(3): true || poll(): 3},
 * checked when removal was added).
 *
 * <p>Obstruction-freedom is checked without Lincheck's await-loop analysis
 * ({@link LockFreeLincheckSupport#modelCheckRetryLoops}). With it, Lincheck 3.7 reports "an
 * active lock" in poll after a single iteration: thread 1 reads {@code head}, thread 2 dequeues
 * (moving {@code head}), thread 1 reads {@code tail} and {@code h.next}, sees {@code h != head}
 * and goes round again. That path back to the loop head writes nothing, and the analysis takes
 * every such path for a spin-wait on another thread. It is no wait: the path is taken only
 * because another thread's operation has already completed (head only advances), and the next
 * iteration reads a fresh snapshot. Run in isolation, poll ends after at most one help of a
 * lagging tail plus one head advance per removed node at the front, then the item CAS or
 * "empty" (few, in these scenarios), and offer within two (at most one tail help, then the link
 * CAS); offer's {@code t != tail} re-check is the same pattern.
 * A real obstruction is still caught with the analysis off: with poll's tail help replaced by
 * a bare {@code continue} (waiting for the offerer to swing {@code tail}, the classic way to
 * lose lock-freedom), this test fails with "active lock" after 10 spins of poll while the
 * offerer is suspended between its link CAS and its tail CAS (checked when this was written).
 */
@Timeout(60)
public class MsQueueLincheckTest extends QueueOperations {
    public MsQueueLincheckTest() {
        super(new MsQueue<>());
    }

    @Test
    void modelChecking() {
        LockFreeLincheckSupport.modelCheckRetryLoops(getClass(), 10);
    }

    @Test
    void stress() {
        LockFreeLincheckSupport.stress(getClass());
    }
}
