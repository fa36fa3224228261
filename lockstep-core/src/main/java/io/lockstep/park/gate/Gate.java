package io.lockstep.park.gate;

import static io.lockstep.internal.WaitOutcome.DONE;
import static io.lockstep.internal.WaitOutcome.INTERRUPTED;
import static io.lockstep.internal.WaitOutcome.TIMED_OUT;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.jfr.Jfr;
import io.lockstep.internal.jfr.SyncWaitEvent;
import io.lockstep.park.ParkResult;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.SpinWait;
import java.util.function.BooleanSupplier;

/**
 * The one wait of the library's gates: park until a condition over a primitive's volatile state
 * holds, and let the change that makes it hold wake every waiter. Two forms share one loop:
 *
 * <ul>
 *   <li>{@link #until}: keyed by the primitive itself, for gates that open rarely (Latch,
 *       WaitGroup, Event, Once, OnceCell): no bit to keep, and the opener always calls
 *       {@link ParkingLot#unparkAll(Object) ParkingLot.unparkAll(primitive)} once. A wait that
 *       has to park is reported as a {@code SyncWait} JFR event.
 *   <li>a {@code Gate} object with a parked bit, for state that changes often (Broadcast's tail,
 *       Watch's version, AsyncOp's steps): {@link #wakeAll()} skips the parking lot while nobody
 *       waits (one volatile read), and {@link #await} parks with this object as key.
 * </ul>
 *
 * <pre>{@code
 * final Gate changed = new Gate();
 * void publish(T v) { value = v; version++; changed.wakeAll(); }         // volatile writes first
 * int awaitNewer(long seen, long deadline) {
 *     return changed.await(() -> version != seen, deadline, true);        // a WaitOutcome code
 * }
 * }</pre>
 */
public final class Gate {
    /*
     * Implementation notes.
     *
     * Protocol (no lost wake-up), keyed form: the opener makes the condition true with a volatile
     *   write, then unparks every waiter on the key; the waiter parks with validate "condition
     *   still false", which runs under the same bucket lock, so it either sees the write or is
     *   queued before the opener looks.
     * Bit form: the PARKED-bit protocol of Notify and RawMutex, reduced to one bit because every
     *   change wakes every waiter (a waiter waits only while it has seen everything, so any change
     *   is news to all of them).
     *   State: parked  false  nobody is parked (a change skips the parking lot: one volatile read)
     *                  true   waiters may be parked, or about to park, or backing out
     *   I1  parked is cleared only under this key's bucket lock (the unparkAll callback).
     *   I2  A waiter parks only if, under the bucket lock, parked is still set and its condition
     *       still false. With I1, a waiter whose bit was cleared by a wake-up that it did not
     *       take part in re-sets the bit instead of sleeping unannounced.
     *   The waiter writes parked (volatile) and then reads the state in validate; the changer
     *   writes the state (volatile) and then reads parked. Volatile accesses are totally ordered,
     *   so the waiter sees the change or the changer sees the bit (Dekker).
     * Interrupts: an interrupt that races the opening reports DONE and keeps the interrupt status
     *   set; otherwise INTERRUPTED with the status cleared.
     * Progress: a short bounded spin (CPU hints, no yield: SpinWait.spinNoYield) before the first
     *   park, none after it; a change usually lands within microseconds, and a parked thread
     *   costs a wake-up of several.
     */

    private volatile boolean parked;                 // I1

    // ---------------------------------------------------------------- keyed by the primitive

    /**
     * Waits on {@code key} until {@code done}; returns a {@link io.lockstep.internal.WaitOutcome}
     * code: DONE, TIMED_OUT or (when interruptible) INTERRUPTED, with the interrupt status cleared.
     * The opener calls {@link ParkingLot#unparkAll(Object) unparkAll(key)} after making
     * {@code done} true. {@code done} reads volatile state and runs under the bucket lock: short,
     * no blocking, no parking-lot calls.
     */
    public static int until(Object key, BooleanSupplier done, long deadline, boolean interruptible) {
        if (done.getAsBoolean()) return DONE;               // open already: no event to begin
        SyncWaitEvent e = Jfr.syncWait();                    // null unless JFR records it
        if (e == null) return await(key, null, done, deadline, interruptible);
        int r = await(key, null, done, deadline, interruptible);
        e.end(key, r);
        return r;
    }

    /** {@link #until} for the public interruptible forms; throws on interrupt, false on timeout. */
    public static boolean untilInterruptibly(Object key, BooleanSupplier done, long deadline)
            throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        int r = until(key, done, deadline, true);
        if (r == INTERRUPTED) throw new InterruptedException();
        return r == DONE;
    }

    // ---------------------------------------------------------------- a gate of its own

    /** Wakes every waiter of {@link #await}; call after the state change is visible (a volatile write). */
    public void wakeAll() {
        if (parked) {
            ParkingLot.unparkAll(this, r -> {
                parked = false;                              // keeps I1
                return ParkingLot.DEFAULT_UNPARK_TOKEN;
            });
        }
    }

    /**
     * Waits on this gate until {@code done}, woken by {@link #wakeAll()}; returns as
     * {@link #until} does (no JFR event: the callers report their own waits).
     */
    public int await(BooleanSupplier done, long deadline, boolean interruptible) {
        return await(this, this, done, deadline, interruptible);
    }

    /** Whether a waiter may be parked (for tests). */
    public boolean mayHaveWaiters() {
        return parked;
    }

    /** The loop of both forms; {@code bit} is the gate whose parked bit announces the waiter, or null. */
    private static int await(Object key, Gate bit, BooleanSupplier done, long deadline, boolean interruptible) {
        SpinWait spin = new SpinWait();
        for (;;) {
            if (done.getAsBoolean()) return DONE;
            if (spin.spinNoYield()) continue;
            if (Deadline.expired(deadline)) return TIMED_OUT;
            BooleanSupplier validate;
            if (bit == null) {
                validate = () -> !done.getAsBoolean();
            } else {
                bit.parked = true;                           // before validate reads the state: Dekker
                validate = () -> bit.parked && !done.getAsBoolean();   // I2
            }
            ParkResult r = ParkingLot.park(key, validate, null, null, ParkingLot.DEFAULT_PARK_TOKEN, deadline, interruptible);
            if (r instanceof ParkResult.Interrupted) {
                if (!done.getAsBoolean()) return INTERRUPTED;
                Thread.currentThread().interrupt();          // opened as we were interrupted: report it, keep the flag
                return DONE;
            }
        }
    }
}
