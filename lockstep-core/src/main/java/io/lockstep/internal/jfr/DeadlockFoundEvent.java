package io.lockstep.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A deadlock confirmed by {@code DeadlockDetector} (instant). */
@Name("io.lockstep.DeadlockFound")
@Label("Deadlock Found")
@Description("DeadlockDetector found a cycle of threads, each waiting for a lock the next holds")
@Category({"Lockstep"})
@Enabled(false)
@StackTrace(false)
public final class DeadlockFoundEvent extends Event {
    private static final DeadlockFoundEvent PROBE = new DeadlockFoundEvent();

    @Label("Threads")
    int threads;

    @Label("Locks")
    @Description("The locks of the cycle, as reports show them")
    String locks;

    @Label("Report")
    @Description("The full report, with each thread's stack")
    String report;

    /** Commits one deadlock, if some recording enables the event. */
    static void emit(int threads, String locks, String report) {
        if (!PROBE.isEnabled()) return;
        DeadlockFoundEvent e = new DeadlockFoundEvent();
        e.threads = threads;
        e.locks = locks;
        e.report = report;
        e.commit();
    }
}
