package io.lockstep.spin;

import io.lockstep.internal.Deadline;
import io.lockstep.park.ParkResult;
import io.lockstep.park.ParkingLot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * The park fallback shared by the spin locks: how many threads of one lock are parked, so that a
 * release pays for the {@link ParkingLot} only when somebody sleeps. Waiters park on a key of the
 * lock's choosing (the lock, a queue node, a ticket slot) with a {@code stillBlocked} condition
 * that the parking lot re-checks under the key's bucket lock.
 *
 * <pre>{@code
 * // waiter                                          // releaser
 * waiters.await(node, () -> node.locked);            node.locked = false;   // a volatile write
 *                                                    waiters.wakeAll(node);
 * }</pre>
 */
final class Waiters {
    /*
     * Implementation notes.
     *
     * No lost wake-ups, by a Dekker-style handshake on two volatile words:
     *   waiter:   count++ (volatile RMW);  park(key, validate: stillBlocked)  -- reads the lock word
     *   releaser: write the lock word (volatile); if (count != 0) unpark(key)
     * Both sides write one word and then read the other, all sequentially consistent, so at least
     * one side sees the other's write. If the releaser reads count == 0, the waiter's increment
     * comes later, so its validate (run after the increment) sees the release and does not sleep.
     * If the releaser reads count != 0 it takes the key's bucket lock: either the waiter is queued
     * already and is woken, or its validate runs afterwards and sees the release.
     * Invariants:
     *   I1  Every transition of a lock word that can end a wait is a volatile write or RMW, and is
     *       followed by wakeAll/wakeOne on every key whose waiters it may release.
     *   I2  count >= the number of this lock's threads parked (or about to park) in the lot.
     * Cost: a release with nobody parked is one volatile read of count. The counter is per lock,
     * not per key: a lock whose waiters sleep pays one bucket lock per release until they leave.
     */
    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(Waiters.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int count;

    /**
     * Spins, yields, then parks on {@code key} until {@code blocked} is false. Uninterruptible
     * (the interrupt status is kept); for waits that cannot be abandoned, such as a queue slot.
     */
    void await(Object key, BooleanSupplier blocked) {
        Backoff backoff = Backoff.constant();
        while (blocked.getAsBoolean()) {
            if (!backoff.snooze()) park(key, blocked, Deadline.NONE, false);
        }
    }

    /** Parks once on {@code key} if {@code blocked} still holds under the bucket lock. */
    ParkResult park(Object key, BooleanSupplier blocked, long deadline, boolean interruptible) {
        COUNT.getAndAdd(this, 1);                           // before validate (I2, the handshake)
        try {
            return ParkingLot.park(key, blocked, null, null, ParkingLot.DEFAULT_PARK_TOKEN, deadline, interruptible);
        } finally {
            COUNT.getAndAdd(this, -1);
        }
    }

    /** Wakes every thread parked on {@code key}, if this lock has any parked thread at all. */
    void wakeAll(Object key) {
        if (count != 0) ParkingLot.unparkAll(key);
    }

    /** Wakes the longest-parked thread on {@code key}, if this lock has any parked thread at all. */
    void wakeOne(Object key) {
        if (count != 0) ParkingLot.unparkOne(key, r -> ParkingLot.DEFAULT_UNPARK_TOKEN);
    }
}
