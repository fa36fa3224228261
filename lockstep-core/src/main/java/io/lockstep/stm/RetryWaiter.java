package io.lockstep.stm;

import io.lockstep.internal.Deadline;
import io.lockstep.park.ParkResult;
import io.lockstep.park.ParkingLot;

/**
 * One blocked {@code retry()}: registered on every TVar the transaction read, woken by the first
 * commit that writes any of them. It parks in the ParkingLot keyed by itself.
 */
final class RetryWaiter {
    /** Set once, by the first waker; read by the parked thread's validate and by pruning. */
    volatile boolean woken;

    void wake() {
        if (woken) return;
        woken = true;
        ParkingLot.unparkAll(this);
    }

    /** Parks until woken; false if interrupted first (the interrupt status is left set). */
    boolean await() {
        while (!woken) {
            ParkResult r = ParkingLot.park(this, () -> !woken, null, Deadline.NONE);
            if (r instanceof ParkResult.Interrupted) {
                Thread.currentThread().interrupt();
                return woken;
            }
        }
        return true;
    }

    /** An immutable list of waiters, as a TVar holds them. */
    record Node(RetryWaiter waiter, Node next) {
        /** {@code list} (may be null) plus {@code w}, without the waiters already woken. */
        static Node push(Node list, RetryWaiter w) {
            Node kept = null;
            for (Node n = list; n != null; n = n.next) if (!n.waiter.woken) kept = new Node(n.waiter, kept);
            return new Node(w, kept);
        }
    }
}
