package io.lockstep.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** An STM attempt aborted by a conflict with another transaction's commit (instant). */
@Name("io.lockstep.StmConflict")
@Label("STM Conflict Abort")
@Description("A transaction attempt was aborted by a conflicting commit and runs again")
@Category({"Lockstep"})
@Enabled(false)
@StackTrace(true)
public final class StmConflictEvent extends Event {
    private static final StmConflictEvent PROBE = new StmConflictEvent();

    @Label("Conflicts")
    @Description("Consecutive conflicts of this transaction, this one included")
    int conflicts;

    @Label("Irrevocable Next")
    @Description("Whether the next attempt runs irrevocably (the livelock fall-back)")
    boolean irrevocableNext;

    /** Commits one conflict, if some recording enables the event. */
    static void emit(int conflicts, boolean irrevocableNext) {
        if (!PROBE.isEnabled()) return;
        StmConflictEvent e = new StmConflictEvent();
        e.conflicts = conflicts;
        e.irrevocableNext = irrevocableNext;
        e.commit();
    }
}
