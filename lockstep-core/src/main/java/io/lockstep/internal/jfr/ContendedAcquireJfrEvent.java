package io.lockstep.internal.jfr;

import io.lockstep.internal.WaitOutcome;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * The JFR event of a contended acquisition: a thread that found a lock (mutex, read-write lock
 * mode, spin lock) or semaphore taken and had to wait, for at least the threshold. Primitives
 * never see this class: {@link ContendedAcquireEvent} starts and ends it.
 */
@Name("io.lockstep.ContendedAcquire")
@Label("Contended Acquire")
@Description("A thread waited for a Lockstep lock or semaphore held by another thread")
final class ContendedAcquireJfrEvent extends PrimitiveEvent {
    private static final ContendedAcquireJfrEvent PROBE = new ContendedAcquireJfrEvent();

    @Label("Mode")
    @Description("exclusive, read, write, upgradable, or the permits a semaphore waited for")
    String mode;

    @Label("Holder")
    @Description("A thread holding the primitive when the wait began, if known")
    Thread holder;

    @Label("Outcome")
    @Description("acquired, timed out, interrupted or closed (a semaphore)")
    String outcome;

    /** A started event if some recording enables it, else null (through {@link Jfr} only). */
    static ContendedAcquireJfrEvent startIfEnabled() {
        if (!PROBE.isEnabled()) return null;
        ContendedAcquireJfrEvent e = new ContendedAcquireJfrEvent();
        e.begin();
        return e;
    }

    /** Ends the wait on {@code primitive} and commits it if it lasted at least the threshold. */
    void end(Object primitive, String mode, Thread holder, int code) {
        end();
        if (!shouldCommit()) return;
        describe(primitive);
        this.mode = mode;
        this.holder = holder;
        this.outcome = WaitOutcome.describe(code, "acquired");
        commit();
    }
}
