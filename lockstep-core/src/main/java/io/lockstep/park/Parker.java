package io.lockstep.park;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.Names;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * A park/unpark handle with one stored permit, as crossbeam's {@code Parker}: {@link #park()}
 * blocks until the permit is available and consumes it; {@link #unpark()}, from any thread, makes
 * it available (a second unpark before a park does nothing more: there is one permit, not a
 * count). Unlike {@link java.util.concurrent.locks.LockSupport} the permit belongs to this object,
 * not to a thread, so an unrelated {@code LockSupport.unpark} cannot wake it, and it never wakes
 * spuriously.
 *
 * <pre>{@code
 * Parker parker = new Parker();
 * Thread.ofVirtual().start(() -> {
 *     prepare();
 *     parker.unpark();              // may run before or after park(): the permit is kept
 * });
 * parker.park();                    // returns once unpark() has been called
 * }</pre>
 *
 * <p>One thread parks at a time (the owner of the handle; any thread may be the owner, one
 * after another); a second thread calling {@code park()} while one is parked gets
 * {@link IllegalStateException}. Any number of threads may call {@code unpark()}.
 * An interrupt ends {@code park()} early, as it ends {@code LockSupport.park}: the interrupt
 * status stays set and the permit, if it arrives later, stays stored.
 *
 * <p><b>Memory effects:</b> actions before an {@code unpark()} happen-before the return of the
 * {@code park()} that consumes its permit.
 */
public final class Parker {
    /*
     * Implementation notes.
     *
     * Based on: crossbeam-utils' Parker and Rust std's futex thread parker; the parking lot plays
     * the futex, keyed by this object.
     * State:  -1 PARKED    a thread is in park() (or about to sleep)
     *          0 EMPTY     no permit
     *          1 NOTIFIED  a permit is stored
     * Protocol: park decrements: NOTIFIED -> EMPTY returns at once (the permit consumed), EMPTY ->
     *   PARKED sleeps with validate "state == PARKED". unpark swaps in NOTIFIED; if it replaced
     *   PARKED it unparks the key. The sleeper wakes, CASes NOTIFIED -> EMPTY and returns.
     * Invariants:
     *   I1  Only the parking thread moves the state out of PARKED or NOTIFIED->EMPTY; unpark only
     *       ever stores NOTIFIED. So at most one permit exists and none is lost.
     *   I2  A park that ends without the permit (timeout, interrupt) swaps EMPTY back, which also
     *       consumes a permit that raced in (it returns true then: it was woken).
     * No lost wake-up: unpark writes NOTIFIED before it locks the bucket; the sleeper's validate
     *   runs under the same bucket lock, so either it sees NOTIFIED, or it is queued first.
     * Memory ordering: the swap and CASes are volatile.
     */
    private static final int PARKED = -1, EMPTY = 0, NOTIFIED = 1;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Parker.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state;

    /** A parker without a permit. */
    public Parker() {}

    /** Blocks until the permit is available and consumes it, or the thread is interrupted. */
    public void park() {
        parkUntil(Deadline.NONE);
    }

    /**
     * As {@link #park()} but gives up after {@code timeout}; returns whether the permit was
     * consumed (false on timeout or interrupt). A zero or negative timeout only checks the permit.
     */
    public boolean park(Duration timeout) {
        return parkUntil(Deadline.after(timeout));
    }

    /** Makes the permit available, waking the parked thread if there is one. */
    public void unpark() {
        if ((int) STATE.getAndSet(this, NOTIFIED) == PARKED) ParkingLot.unparkAll(this);
    }

    private boolean parkUntil(long deadline) {
        int prev = (int) STATE.getAndAdd(this, -1);
        if (prev == NOTIFIED) return true;                     // permit consumed: NOTIFIED -> EMPTY
        if (prev == PARKED) {
            STATE.getAndAdd(this, 1);                          // undo; the state is still PARKED
            throw new IllegalStateException("another thread is already parked on this Parker");
        }
        for (;;) {
            ParkResult r = ParkingLot.park(this, () -> state == PARKED, null, null,
                    ParkingLot.DEFAULT_PARK_TOKEN, deadline, true);
            if (STATE.compareAndSet(this, NOTIFIED, EMPTY)) {
                if (r instanceof ParkResult.Interrupted) Thread.currentThread().interrupt();
                return true;
            }
            if (r instanceof ParkResult.Interrupted || r instanceof ParkResult.TimedOut) {
                boolean permit = (int) STATE.getAndSet(this, EMPTY) == NOTIFIED;     // I2
                if (r instanceof ParkResult.Interrupted) Thread.currentThread().interrupt();
                return permit;
            }
            // Woken or invalid without a permit: another Parker's unpark on a colliding path
            // cannot do this (keys are by identity), but re-parking is always safe.
        }
    }

    @Override
    public String toString() {
        return Names.describe(this) + switch (state) {
            case PARKED -> "[parked]";
            case NOTIFIED -> "[permit available]";
            default -> "[no permit]";
        };
    }

    /**
     * Names this parker for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this parker, so a field can be
     * named where it is created: {@code private final Parker wakeUp = new Parker().named("wake-up");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this parker already has another name
     */
    public Parker named(String name) {
        return Names.name(this, name);
    }

    /** This parker's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
