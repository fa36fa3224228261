package io.lockstep.internal.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A grace period a writer waited for in {@code synchronize()}: the readers it outlived. */
@Name("io.lockstep.RcuGracePeriod")
@Label("RCU Grace Period")
@Description("A writer waited in Rcu.synchronize for the read sections that began before it")
public final class RcuGracePeriodEvent extends PrimitiveEvent {
    private static final RcuGracePeriodEvent PROBE = new RcuGracePeriodEvent();

    /** A started event if some recording enables it, else null (through {@link Jfr} only). */
    static RcuGracePeriodEvent startIfEnabled() {
        if (!PROBE.isEnabled()) return null;
        RcuGracePeriodEvent e = new RcuGracePeriodEvent();
        e.begin();
        return e;
    }

    /** Ends the grace period of {@code rcu} and commits it if it lasted at least the threshold. */
    public void end(Object rcu) {
        end();
        if (!shouldCommit()) return;
        describe(rcu);
        commit();
    }
}
