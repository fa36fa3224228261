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
class Waiters {
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
     *   I3  wakePending is 1 from a wakeOne that found someone to wake until a thread of this
     *       Waiters returns from a park. While it is 1, wakeOne does nothing: the woken thread
     *       has not run yet, and it re-checks the lock after clearing the flag (clear, then read
     *       the lock word; the releaser writes the word, then reads the flag: a Dekker pair, so
     *       either the releaser wakes again or the woken thread sees the release). A clear by
     *       another returning thread only allows one extra wake. So wakeOne is for one key per
     *       Waiters instance (FlagLock's `this`).
     * Cost: a release with nobody parked is one volatile read of count. The counter is per
     * instance: a lock gives each kind of wait its own (LineLock's word, each queue node is its
     * own Waiters), so a release pays a bucket lock only when a thread of that kind sleeps. With
     * one shared counter every release paid an unparkAll while any thread slept in the line:
     * half the CPU of McsLock at 8 threads on 2 cores (SpinBench profile), and FlagLock's
     * release woke a new thread on every unlock until the first one woken ran (I3).
     */
    private static final VarHandle COUNT, PENDING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COUNT = l.findVarHandle(Waiters.class, "count", int.class);
            PENDING = l.findVarHandle(Waiters.class, "wakePending", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int count;
    private volatile int wakePending;                       // I3

    /**
     * Spins, yields, then parks on {@code key} (showing {@code lock} as the park blocker) until
     * {@code blocked} is false. Uninterruptible (the interrupt status is kept); for waits that
     * cannot be abandoned, such as a queue slot.
     */
    void await(Object key, Object lock, BooleanSupplier blocked) {
        Backoff backoff = Backoff.constant();
        while (blocked.getAsBoolean()) {
            if (!backoff.snooze()) park(key, lock, blocked, Deadline.NONE, false);
        }
    }

    /** Parks once on {@code key} if {@code blocked} still holds under the bucket lock. */
    ParkResult park(Object key, BooleanSupplier blocked, long deadline, boolean interruptible) {
        return park(key, key, blocked, deadline, interruptible);
    }

    /** As {@link #park(Object, BooleanSupplier, long, boolean)}; {@code lock} is the park blocker tools show. */
    ParkResult park(Object key, Object lock, BooleanSupplier blocked, long deadline, boolean interruptible) {
        COUNT.getAndAdd(this, 1);                           // before validate (I2, the handshake)
        try {
            return ParkingLot.park(key, lock, blocked, null, null, ParkingLot.DEFAULT_PARK_TOKEN, deadline, interruptible);
        } finally {
            COUNT.getAndAdd(this, -1);
            if (wakePending != 0) wakePending = 0;          // I3: before the caller re-checks the lock
        }
    }

    /** Wakes every thread parked on {@code key}, if this lock has any parked thread at all. */
    void wakeAll(Object key) {
        if (count != 0) ParkingLot.unparkAll(key);
    }

    /**
     * Wakes the longest-parked thread on {@code key}, if some thread is parked and no thread woken
     * earlier is still on its way (I3). Only for a Waiters whose threads all park on {@code key}.
     */
    void wakeOne(Object key) {
        if (count == 0 || wakePending != 0 || !PENDING.compareAndSet(this, 0, 1)) return;
        ParkingLot.unparkOne(key, r -> {
            if (r.unparkedThreads() == 0) wakePending = 0;  // nobody was queued yet: I3 needs a waker
            return ParkingLot.DEFAULT_UNPARK_TOKEN;
        });
    }
}
