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
 * <p>Obstruction-freedom is checked with Lincheck's defaults. Every operation is a forward walk
 * that never restarts (the CLQ-style slack rewrite removed M-S's read-only "stale snapshot,
 * go round" retry, which Lincheck's await-loop analysis had taken for a spin-wait and which
 * needed that analysis switched off).
 */
@Timeout(60)
public class MsQueueLincheckTest extends QueueOperations {
    public MsQueueLincheckTest() {
        super(new MsQueue<>());
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
