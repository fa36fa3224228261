package io.lockstep.internal.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A contended acquisition: a thread that found a lock (mutex, read-write lock mode, spin lock)
 * or semaphore taken and had to wait, for at least the threshold.
 *
 * <pre>{@code
 * // on the slow path only, after the fast path failed:
 * ContendedAcquireEvent e = Jfr.contendedAcquire();           // null unless a recording wants it
 * int outcome = waitForTheLock();
 * if (e != null) e.end(this, "exclusive", holderSeenAtStart, outcome);
 * }</pre>
 */
@Name("io.lockstep.ContendedAcquire")
@Label("Contended Acquire")
@Description("A thread waited for a Lockstep lock or semaphore held by another thread")
public final class ContendedAcquireEvent extends PrimitiveEvent {
    /** Outcome codes: the same values as the locks' own wait results. */
    public static final int ACQUIRED = 0, TIMED_OUT = 1, INTERRUPTED = 2, CLOSED = 3;
    private static final ContendedAcquireEvent PROBE = new ContendedAcquireEvent();

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
    static ContendedAcquireEvent startIfEnabled() {
        if (!PROBE.isEnabled()) return null;
        ContendedAcquireEvent e = new ContendedAcquireEvent();
        e.begin();
        return e;
    }

    /**
     * Ends the wait on {@code primitive} and commits it if it lasted at least the threshold.
     *
     * @param code {@link #ACQUIRED}, {@link #TIMED_OUT}, {@link #INTERRUPTED} or {@link #CLOSED}
     */
    public void end(Object primitive, String mode, Thread holder, int code) {
        end();
        if (!shouldCommit()) return;
        describe(primitive);
        this.mode = mode;
        this.holder = holder;
        this.outcome = outcome(code, "acquired");
        commit();
    }
}
