package io.lockstep.internal.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A contended hold of a mutex: from the end of a contended acquire (the holder had waited) to a
 * release that found other threads waiting. The holder is the event's thread; the hold time its
 * duration. Together with {@link ContendedAcquireEvent} it gives a profile both sides of the
 * contention: who waited how long, and how long the lock was then held.
 *
 * <pre>{@code
 * // on the slow paths only:
 * e.end(this, "exclusive", holder, r);  if (r == ACQUIRED) Jfr.holdBegins(this);
 * ...
 * Jfr.holdEnds(this);                   // in the release that must wake a waiter
 * }</pre>
 */
@Name("io.lockstep.ContendedHold")
@Label("Contended Hold")
@Description("A thread held a Lockstep mutex it had waited for, until a release that woke another waiter")
@StackTrace(false)
public final class ContendedHoldEvent extends PrimitiveEvent {
    /*
     * Implementation notes.
     *
     * Only holds that both begin and end on a slow path are seen: the fast paths (one CAS to lock,
     * one to unlock) stay untouched, so a hold that began with an uncontended acquire has no
     * event. The started event waits in a thread-local slot keyed by the primitive's identity hash
     * (not the primitive: a slot must not keep a lock alive). A hold released on the fast path
     * leaves its slot behind; the next contended acquire of this thread overwrites it. If the same
     * thread re-took the same mutex uncontended in between and then released it to a waiter, the
     * event spans both holds: rare under contention (a contended lock rarely has a fast release),
     * and an overstatement, never a lost hold. No stack trace: the acquire event has it.
     */
    private static final ContendedHoldEvent PROBE = new ContendedHoldEvent();
    private static final ThreadLocal<ContendedHoldEvent> HOLDING = new ThreadLocal<>();

    private transient int heldIdentity;

    /** Starts a hold of {@code primitive} by the current thread, if some recording enables the event. */
    static void begin(Object primitive) {
        if (!PROBE.isEnabled()) return;
        ContendedHoldEvent e = new ContendedHoldEvent();
        e.heldIdentity = System.identityHashCode(primitive);
        e.begin();
        HOLDING.set(e);
    }

    /** Ends the current thread's hold of {@code primitive}, if one was started; commits it if over the threshold. */
    static void end(Object primitive) {
        ContendedHoldEvent e = HOLDING.get();
        if (e == null || e.heldIdentity != System.identityHashCode(primitive)) return;
        HOLDING.remove();
        e.end();
        if (!e.shouldCommit()) return;
        e.describe(primitive);
        e.commit();
    }
}
