package io.lockstep.channel;

import static io.lockstep.internal.WaitOutcome.DONE;
import static io.lockstep.internal.WaitOutcome.INTERRUPTED;
import static io.lockstep.internal.WaitOutcome.TIMED_OUT;

import io.lockstep.internal.Deadline;
import io.lockstep.park.ParkResult;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.SpinWait;
import java.util.function.BooleanSupplier;

/**
 * The wait shared by {@link Broadcast} and {@link Watch}: threads wait for "something changed"
 * on a state that only ever moves forward (a tail or a version), and a change releases all of
 * them. Waiters park in the {@link ParkingLot} with this object as key.
 */
final class ChangeSignal {
    /*
     * Implementation notes.
     *
     * Based on: the PARKED-bit protocol of Notify and RawMutex, reduced to one bit because every
     * change wakes every waiter (a waiter waits only while it has seen everything, so any change
     * is news to all of them).
     * State: parked  false  nobody is parked (a change skips the parking lot: one volatile read)
     *                true   waiters may be parked, or about to park, or backing out
     * Invariants:
     *   I1  parked is cleared only under this key's bucket lock (the unparkAll callback).
     *   I2  A waiter parks only if, under the bucket lock, parked is still set and its condition
     *       still false. With I1, a waiter whose bit was cleared by a wake-up that it did not
     *       take part in re-sets the bit instead of sleeping unannounced.
     * No lost wake-up: the waiter writes parked (volatile) and then reads the state in validate;
     *   the changer writes the state (volatile) and then reads parked. Volatile accesses are
     *   totally ordered, so the waiter sees the change or the changer sees the bit (Dekker).
     * Progress: a short bounded spin (no yield) before parking; a change usually lands within
     *   microseconds on a busy channel, and a parked thread costs a wake-up of several.
     */
    private volatile boolean parked;                 // I1

    /** Wakes every waiter; call after the state change is visible (a volatile write). */
    void wakeAll() {
        if (parked) {
            ParkingLot.unparkAll(this, r -> {
                parked = false;                      // keeps I1
                return ParkingLot.DEFAULT_UNPARK_TOKEN;
            });
        }
    }

    /**
     * Waits until {@code done} holds or the deadline passes; returns DONE, TIMED_OUT or (when
     * interruptible) INTERRUPTED, with the interrupt status cleared. {@code done} reads volatile
     * state and runs under the bucket lock: short, no blocking, no parking-lot calls.
     */
    int await(BooleanSupplier done, long deadlineNanos, boolean interruptible) {
        SpinWait spin = new SpinWait();
        for (;;) {
            if (done.getAsBoolean()) return DONE;
            if (spin.spinNoYield()) continue;
            if (Deadline.expired(deadlineNanos)) return TIMED_OUT;
            parked = true;                           // before validate reads the state: Dekker
            ParkResult r = ParkingLot.park(this, () -> parked && !done.getAsBoolean(), null, null,
                    ParkingLot.DEFAULT_PARK_TOKEN, deadlineNanos, interruptible);   // I2
            if (r instanceof ParkResult.Interrupted) {
                if (!done.getAsBoolean()) return INTERRUPTED;
                Thread.currentThread().interrupt();  // changed as we were interrupted: report it, keep the flag
                return DONE;
            }
            if (r instanceof ParkResult.TimedOut) return done.getAsBoolean() ? DONE : TIMED_OUT;
        }
    }

    /** Whether a waiter may be parked (for tests). */
    boolean mayHaveWaiters() {
        return parked;
    }
}
