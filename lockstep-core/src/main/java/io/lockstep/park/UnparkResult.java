package io.lockstep.park;

/**
 * What an unpark call did, passed to its callback while the bucket is still locked (so the
 * callback can update the primitive's state atomically with the queue) and returned afterwards.
 *
 * <pre>{@code
 * ParkingLot.unparkOne(this, r -> {
 *     state = r.haveMoreThreads() ? PARKED : 0;    // PARKED cleared only under the bucket lock
 *     return ParkingLot.DEFAULT_UNPARK_TOKEN;
 * });
 * }</pre>
 *
 * @param unparkedThreads threads woken by this call
 * @param requeuedThreads threads moved to another key (only {@link ParkingLot#unparkRequeue})
 * @param haveMoreThreads whether threads are still parked on the (source) key afterwards
 * @param beFair          whether the woken thread has waited long enough (about 0.5 ms) that a
 *                        lock should hand itself over directly instead of letting others barge
 */
public record UnparkResult(int unparkedThreads, int requeuedThreads, boolean haveMoreThreads, boolean beFair) {
    static final UnparkResult NONE = new UnparkResult(0, 0, false, false);
}
