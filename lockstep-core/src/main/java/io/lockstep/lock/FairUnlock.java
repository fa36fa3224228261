package io.lockstep.lock;

import java.util.concurrent.locks.Lock;

/**
 * A lock that can hand itself straight to its longest waiter, as parking_lot's
 * {@code RawMutexFair}. Barging locks are fast because a releasing thread may take the lock
 * right back; {@link #unlockFair()} forgoes that once, when fairness matters more.
 *
 * <pre>{@code
 * lock.lock();
 * try {
 *     for (Job job : batch) {
 *         job.run();
 *         lock.bump();           // let a waiter in between jobs, if one is waiting
 *     }
 * } finally {
 *     lock.unlock();
 * }
 * }</pre>
 */
public interface FairUnlock extends Lock {
    /** Unlocks, handing the lock directly to the longest waiter if there is one. */
    void unlockFair();

    /** Gives way to a waiter, if any: {@code unlockFair()} then {@code lock()}. */
    default void bump() {
        unlockFair();
        lock();
    }
}
