package io.lockstep.park;

/**
 * What {@link ParkingLot#unparkRequeue} should do with the threads parked on the source key,
 * chosen by its {@code validate} callback under both buckets' locks.
 *
 * <pre>{@code
 * ParkingLot.unparkRequeue(condvar, mutex,
 *         () -> mutex.isLocked() ? RequeueOp.REQUEUE_ALL : RequeueOp.UNPARK_ONE_REQUEUE_REST,
 *         (op, result) -> ParkingLot.DEFAULT_UNPARK_TOKEN);
 * }</pre>
 */
public enum RequeueOp {
    /** Do nothing. */
    ABORT,
    /** Wake the first thread, move the rest to the target key (a condvar's notifyAll on a free mutex). */
    UNPARK_ONE_REQUEUE_REST,
    /** Move every thread to the target key (notifyAll while the mutex is held: nobody could run anyway). */
    REQUEUE_ALL,
    /** Wake the first thread only. */
    UNPARK_ONE,
    /** Move the first thread only. */
    REQUEUE_ONE,
    /** Wake every thread. */
    UNPARK_ALL,
    /**
     * Wake the first {@link ParkingLot#REQUEUE_WAKE_LIMIT} threads and move the rest: a condvar's
     * notifyAll, so that the woken threads' wake-up latencies overlap, each one's unlock then
     * waking a moved one (a few chains in parallel instead of one chain of the whole queue).
     */
    UNPARK_SOME_REQUEUE_REST
}
