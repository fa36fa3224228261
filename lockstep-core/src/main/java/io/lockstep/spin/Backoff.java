package io.lockstep.spin;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The bounded back-off schedule every spin lock in this package follows: a few rounds of
 * {@link Thread#onSpinWait()}, then a few {@link Thread#yield()}s, then {@link #snooze()} returns
 * false and the caller parks (through {@link Waiters}). One instance per wait; not thread-safe.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.constant();
 * while (!tryAcquire()) {
 *     if (!backoff.snooze()) { waiters.park(key, stillBusy, deadline, interruptible); backoff.reset(); }
 * }
 * }</pre>
 */
final class Backoff {
    /*
     * Implementation notes.
     *
     * Two shapes. Constant: SPIN_ROUNDS rounds of CONSTANT_PAUSES pauses, for waiters that read a
     * word nobody else writes until the hand-off (queue locks) or that hammer the line on purpose
     * (TAS). Exponential with jitter (Anderson, "The performance of spin lock alternatives for
     * shared-memory multiprocessors", 1990): round r pauses for 2^r plus a random amount below 2^r,
     * capped at 2^MAX_SHIFT, so contenders that collided on a CAS spread out instead of retrying in
     * lock-step. Both then yield YIELD_ROUNDS times: on an oversubscribed machine (or a virtual
     * thread's carrier) the holder may be waiting for our CPU. After that the caller must park; the
     * whole spin phase is a few tens of microseconds at most, so a spin lock never burns a core
     * for longer than a context switch would cost.
     *
     * Tried and rejected: unbounded spinning (8 platform threads on 2 cores and 1,000 virtual
     * threads collapse: the holder is descheduled while its waiters spin), and parking without
     * yielding first (a yield is far cheaper than a park/unpark round trip when the holder is
     * merely runnable).
     */
    private static final int SPIN_ROUNDS = 8, YIELD_ROUNDS = 6, MAX_SHIFT = 6, CONSTANT_PAUSES = 8;

    private final boolean exponential;
    private int round;

    private Backoff(boolean exponential) {
        this.exponential = exponential;
    }

    /** Equal pauses each round. */
    static Backoff constant() {
        return new Backoff(false);
    }

    /** Pauses that double each round, with random jitter. */
    static Backoff exponential() {
        return new Backoff(true);
    }

    /** Backs off once; returns false when the spin budget is spent and the caller should park. */
    boolean snooze() {
        if (round >= SPIN_ROUNDS + YIELD_ROUNDS) return false;
        if (round < SPIN_ROUNDS) {
            for (int i = pauses(round); i > 0; i--) Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        round++;
        return true;
    }

    /** Starts the schedule again (after a wake-up). */
    void reset() {
        round = 0;
    }

    private int pauses(int r) {
        if (!exponential) return CONSTANT_PAUSES;
        int base = 1 << Math.min(r, MAX_SHIFT);
        return base + ThreadLocalRandom.current().nextInt(base);
    }
}
