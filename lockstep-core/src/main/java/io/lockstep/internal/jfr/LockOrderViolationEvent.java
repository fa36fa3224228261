package io.lockstep.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A lock-order violation found by {@code LockOrder} validation (instant; the stack is the acquisition's). */
@Name("io.lockstep.LockOrderViolation")
@Label("Lock-Order Violation")
@Description("An acquisition would close a cycle in the recorded lock order: a potential deadlock")
@Category({"Lockstep"})
@Enabled(false)
@StackTrace(true)
public final class LockOrderViolationEvent extends Event {
    private static final LockOrderViolationEvent PROBE = new LockOrderViolationEvent();

    @Label("Cycle")
    @Description("The locks of the cycle, as reports show them: a -> b -> a")
    String cycle;

    @Label("Message")
    String message;

    /** Commits one violation, if some recording enables the event. */
    static void emit(String cycle, String message) {
        if (!PROBE.isEnabled()) return;
        LockOrderViolationEvent e = new LockOrderViolationEvent();
        e.cycle = cycle;
        e.message = message;
        e.commit();
    }
}
