package io.lockstep.sync;

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
 * The wait loop shared by the gate-like primitives (Latch, WaitGroup, Event, Barrier, Once,
 * OnceCell): wait on a key until a condition over the primitive's volatile state holds.
 *
 * <p>Protocol (no lost wake-ups): the waker first makes the condition true with a volatile write,
 * then calls {@link ParkingLot#unparkAll(Object)} on the key; the waiter parks with validate
 * "condition still false", which runs under the same bucket lock, so it either sees the write or
 * is queued before the waker looks. These primitives open rarely, so they keep no PARKED bit and
 * the opener always takes the bucket lock once.
 */
final class Waiting {
    private Waiting() {}

    /** Waits until {@code done}; returns DONE, TIMED_OUT or INTERRUPTED (interrupt status cleared). */
    static int until(Object key, BooleanSupplier done, long deadline, boolean interruptible) {
        if (done.getAsBoolean()) return DONE;                  // open already: no event to begin
        SyncWaitEvent e = Jfr.syncWait();               // null unless JFR records it
        if (e == null) return waitLoop(key, done, deadline, interruptible);
        int r = waitLoop(key, done, deadline, interruptible);
        e.end(key, r);
        return r;
    }

    private static int waitLoop(Object key, BooleanSupplier done, long deadline, boolean interruptible) {
        SpinWait spin = new SpinWait();
        boolean interrupted = false;
        try {
            for (;;) {
                if (done.getAsBoolean()) return DONE;
                if (spin.spinNoYield()) continue;
                if (Deadline.expired(deadline)) return TIMED_OUT;
                ParkResult r = ParkingLot.park(key, () -> !done.getAsBoolean(), null, null,
                        ParkingLot.DEFAULT_PARK_TOKEN, deadline, interruptible);
                if (r instanceof ParkResult.Interrupted) {
                    if (done.getAsBoolean()) {
                        interrupted = true;              // opened as we were interrupted: report success
                        return DONE;
                    }
                    return INTERRUPTED;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** {@link #until} for the public interruptible forms; throws on interrupt, false on timeout. */
    static boolean untilInterruptibly(Object key, BooleanSupplier done, long deadline) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        int r = until(key, done, deadline, true);
        if (r == INTERRUPTED) throw new InterruptedException();
        return r == DONE;
    }
}
