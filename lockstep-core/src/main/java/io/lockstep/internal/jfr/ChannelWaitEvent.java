package io.lockstep.internal.jfr;

import io.lockstep.internal.WaitOutcome;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A blocked channel operation: a send that found the channel full (or no receiver, for a
 * rendezvous), a receive that found it empty, or a select none of whose cases was ready.
 * The primitive is the channel, or the select, described by its cases
 * ({@code Select[recv Channel "jobs", recv Channel "results"]}).
 */
@Name("io.lockstep.ChannelWait")
@Label("Channel Wait")
@Description("A thread blocked in a Lockstep channel send, receive or select")
public final class ChannelWaitEvent extends PrimitiveEvent {
    private static final ChannelWaitEvent PROBE = new ChannelWaitEvent();

    @Label("Operation")
    @Description("send, recv or select")
    String operation;

    @Label("Outcome")
    @Description("done, closed, timed out or interrupted")
    String outcome;

    /** A started event if some recording enables it, else null (through {@link Jfr} only). */
    static ChannelWaitEvent startIfEnabled() {
        if (!PROBE.isEnabled()) return null;
        ChannelWaitEvent e = new ChannelWaitEvent();
        e.begin();
        return e;
    }

    /**
     * Ends the wait on {@code primitive} and commits it if it lasted at least the threshold.
     *
     * @param code a {@link WaitOutcome} code
     */
    public void end(Object primitive, String operation, int code) {
        end();
        if (!shouldCommit()) return;
        describe(primitive);
        if (operation.equals("select")) this.primitive = primitive.toString();   // lists its channels
        this.operation = operation;
        this.outcome = WaitOutcome.describe(code, "done");
        commit();
    }
}
