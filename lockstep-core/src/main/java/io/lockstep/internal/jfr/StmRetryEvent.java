package io.lockstep.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/** A transaction blocked in {@code Stm.retry()} until a TVar it read changed. */
@Name("io.lockstep.StmRetry")
@Label("STM Retry Wait")
@Description("A transaction called Stm.retry() and waited for a TVar it read to change")
@Category({"Lockstep"})
@Enabled(false)
@Threshold("20 ms")
@StackTrace(true)
public final class StmRetryEvent extends Event {
    private static final StmRetryEvent PROBE = new StmRetryEvent();

    @Label("Outcome")
    @Description("woken (a TVar changed) or interrupted")
    String outcome;

    /** A started event if some recording enables it, else null (through {@link Jfr} only). */
    static StmRetryEvent startIfEnabled() {
        if (!PROBE.isEnabled()) return null;
        StmRetryEvent e = new StmRetryEvent();
        e.begin();
        return e;
    }

    /** Ends the wait and commits it if it lasted at least the threshold. */
    public void end(boolean woken) {
        end();
        if (!shouldCommit()) return;
        outcome = woken ? "woken" : "interrupted";
        commit();
    }
}
