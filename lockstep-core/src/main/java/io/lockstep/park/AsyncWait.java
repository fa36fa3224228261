package io.lockstep.park;

/**
 * An asynchronous waiter queued by {@link ParkingLot#parkAsync}: the handle that cancels it.
 *
 * <pre>{@code
 * AsyncWait w = ParkingLot.parkAsync(this, () -> state == LOCKED_PARKED, 0, token -> granted(token));
 * if (w != null) future.whenComplete((v, e) -> { if (e != null) w.cancel(this::cancelled); });
 * }</pre>
 */
public final class AsyncWait {
    private final WaitNode node;

    AsyncWait(WaitNode node) {
        this.node = node;
    }

    /**
     * Takes the waiter out of the queue if it is still there, running {@code onCancel} (may be
     * null) under the bucket lock as for a cancelled park. Returns false if a waker dequeued it
     * first (its wake-up runs, or has run, exactly once) or it was cancelled already.
     */
    public boolean cancel(ParkingLot.CancelCallback onCancel) {
        return ParkingLot.cancelAsync(node, onCancel);
    }

    /** Whether a waker has dequeued this waiter (a snapshot). */
    public boolean isWoken() {
        return node.unparked;
    }
}
