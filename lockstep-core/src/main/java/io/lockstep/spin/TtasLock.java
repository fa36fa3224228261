package io.lockstep.spin;

import io.lockstep.internal.Names;
/**
 * The test-and-test-and-set spin lock with exponential back-off: waiters read the flag (a cache
 * hit while it is held) and try the atomic write only when it looks free; after a failed try they
 * back off for a randomised, doubling time. The best simple spin lock for short critical sections
 * and a handful of threads.
 *
 * <pre>{@code
 * private final TtasLock lock = new TtasLock();
 *
 * lock.lock();
 * try {
 *     hits++;
 * } finally {
 *     lock.unlock();
 * }
 * }</pre>
 *
 * <p>Waiting is bounded: back-off rounds, then yields, then the thread parks in the
 * {@link io.lockstep.park.ParkingLot}, so 1,000 virtual threads or 8 threads on 2 cores all
 * finish.
 *
 * <p><b>Memory effects:</b> as {@link java.util.concurrent.locks.Lock}: an unlock happens-before
 * every later lock of the same lock.
 * <p><b>Fairness:</b> none; back-off makes it less fair still (a thread that just backed off is
 * less likely to win than one arriving fresh). Use {@link TicketLock} or {@link McsLock} for FIFO.
 * <p><b>Ownership:</b> not reentrant ({@link #lock()} by the holder throws
 * {@link IllegalStateException}); {@link #unlock()} by a non-holder throws
 * {@link IllegalMonitorStateException}.
 */
public final class TtasLock extends FlagLock {
    /*
     * Implementation notes.
     *
     * Algorithm: test-and-test-and-set (Rudolph & Segall, 1984) with randomised exponential
     * back-off (Anderson 1990; Agarwal & Cherian 1989). State table and release in FlagLock.
     * Memory ordering: plain volatile read to test, acquire CAS 0 -> 1 to set; volatile store on
     * unlock (Waiters I1).
     * Fairness/progress: barging; starvation is possible in theory, bounded in practice because a
     * starving thread ends up parked and is woken on every release.
     * Cost: uncontended, one volatile read and one CAS. Contended, waiters spin in their own cache
     *   until the release invalidates it; the release then triggers a burst of CASes, which the
     *   back-off spreads out. Expected to be the fastest lock here at 2 threads (SpinBench).
     * Tried and rejected: a fixed back-off (collisions repeat in lock-step), and an unbounded
     *   back-off cap (a waiter asleep in its back-off misses free windows).
     */

    /** Creates an unlocked lock. */
    public TtasLock() {
        super(true);
    }

    @Override
    boolean tryAcquire() {
        return state == 0 && (int) STATE.compareAndExchangeAcquire(this, 0, 1) == 0;
    }

    /**
     * Names this lock for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * lock, so a field can be named where it is created:
     * {@code private final TtasLock lock = new TtasLock().named("stats");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this lock already has another name
     */
    public TtasLock named(String name) {
        return Names.name(this, name);
    }

    /** This lock's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
