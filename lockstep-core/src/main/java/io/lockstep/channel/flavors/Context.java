package io.lockstep.channel.flavors;

import io.lockstep.park.ParkResult;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.SpinWait;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * One wait of one thread for one or more channel operations (crossbeam's {@code Context}).
 * Other threads complete the wait by selecting it, exactly once: with the {@link Operation} that
 * can now proceed, or with a {@link Selected} reason. The selection is the commit point: whoever
 * wins the selection decides how the wait ends.
 */
public final class Context {
    /*
     * Implementation notes.
     *
     * Based on: crossbeam-channel's context.rs. Differences: a fresh Context per wait instead of a
     * thread-local one reset between uses (virtual threads make thread locals costly, and a fresh
     * object makes a stale selection harmless); the waiter parks in the ParkingLot with the
     * context as key, so deadlines and interrupts come from the parking lot; the packet for a
     * rendezvous travels in the Operation rather than in the context.
     *
     * State:
     *   selected   null                waiting
     *              Operation           an operation of this wait may proceed (set by its partner)
     *              Selected.*          withdrawn, closed, timed out or interrupted
     *   sleeping   false / true        the waiter may be parked in the ParkingLot
     * Invariants:
     *   I1  selected changes once, from null, by CAS (trySelect).
     *   I2  A selector calls unpark() after winning the CAS; unpark() reaches the parking lot only
     *       if sleeping was set, and the waiter sets sleeping before it validates selected == null
     *       under the bucket lock: both are volatile, so either the waiter sees the selection and
     *       does not sleep, or the selector sees sleeping and wakes it (Dekker; no lost wake-up).
     * Progress: await spins a few rounds (SpinWait) before parking: a partner usually arrives
     *   within microseconds on a busy channel.
     */
    private static final VarHandle SELECTED;

    static {
        try {
            SELECTED = MethodHandles.lookup().findVarHandle(Context.class, "selected", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread thread;                           // the waiter; null for a callback wait
    private final Runnable onSelected;             // a callback wait's continuation, else null
    private volatile Object selected;              // I1
    private volatile boolean sleeping;             // I2

    /** A context for a wait by the current thread. */
    public Context() {
        this.thread = Thread.currentThread();
        this.onSelected = null;
    }

    private Context(Runnable onSelected) {
        this.thread = null;
        this.onSelected = onSelected;
    }

    /**
     * A wait that no thread parks for: whoever wins the selection runs {@code onSelected} (in
     * {@link #unpark}), possibly while holding a channel's lock, so it must only hand the work
     * on (to another thread) and return. No thread owns it, so it pairs with any thread's
     * operations; never {@link #await} it.
     */
    public static Context callback(Runnable onSelected) {
        return new Context(Objects.requireNonNull(onSelected));
    }

    /** Tries to end the wait with {@code selection}; true if this call did (keeps I1). */
    public boolean trySelect(Object selection) {
        return SELECTED.compareAndSet(this, null, selection);
    }

    /** The selection, or null while waiting. */
    public Object selected() {
        return selected;
    }

    /**
     * Wakes the waiter if it may be parked, or runs a callback wait's continuation; called by
     * whoever won {@link #trySelect} (I2).
     */
    public void unpark() {
        if (onSelected != null) onSelected.run();
        else if (sleeping) ParkingLot.unparkOne(this, r -> ParkingLot.DEFAULT_UNPARK_TOKEN);
    }

    /**
     * Waits until selected or {@code deadlineNanos}; returns the selection. A timeout or
     * interrupt selects {@link Selected#TIMED_OUT} or {@link Selected#INTERRUPTED} unless a
     * partner selected the context first, in which case the partner's selection is returned
     * (and an interrupt is left pending on the thread).
     */
    public Object await(long deadlineNanos, boolean interruptible) {
        SpinWait spin = new SpinWait();
        for (Object s; (s = selected) == null; ) {
            if (spin.spin()) continue;
            sleeping = true;                                          // before validate: I2
            ParkResult r = ParkingLot.park(this, () -> selected == null, null, null,
                    ParkingLot.DEFAULT_PARK_TOKEN, deadlineNanos, interruptible);
            if (r instanceof ParkResult.TimedOut) {
                trySelect(Selected.TIMED_OUT);                        // or a partner won: use theirs
            } else if (r instanceof ParkResult.Interrupted && !trySelect(Selected.INTERRUPTED)) {
                Thread.currentThread().interrupt();                   // selected anyway: keep the interrupt
            }
        }
        return selected;
    }
}
