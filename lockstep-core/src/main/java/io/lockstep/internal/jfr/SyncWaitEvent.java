package io.lockstep.internal.jfr;

import io.lockstep.internal.WaitOutcome;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A wait at a gate: a barrier for its other parties, a latch or wait group for its count to
 * reach zero, an event to be set, a {@code Once} for its initializer.
 */
@Name("io.lockstep.SyncWait")
@Label("Barrier/Latch Wait")
@Description("A thread waited at a Lockstep barrier, latch, wait group, event or once")
public final class SyncWaitEvent extends PrimitiveEvent {
    private static final SyncWaitEvent PROBE = new SyncWaitEvent();

    @Label("Outcome")
    @Description("released, timed out, interrupted or broken")
    String outcome;

    /** A started event if some recording enables it, else null (through {@link Jfr} only). */
    static SyncWaitEvent startIfEnabled() {
        if (!PROBE.isEnabled()) return null;
        SyncWaitEvent e = new SyncWaitEvent();
        e.begin();
        return e;
    }

    /**
     * Ends the wait on {@code primitive} and commits it if it lasted at least the threshold.
     *
     * @param code a {@link WaitOutcome} code: DONE (shown as released), TIMED_OUT or INTERRUPTED
     */
    public void end(Object primitive, int code) {
        end();
        if (!shouldCommit()) return;
        describe(primitive);
        this.outcome = WaitOutcome.describe(code, "released");
        commit();
    }
}
