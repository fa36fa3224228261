package io.lockstep.spin;

import io.lockstep.internal.BackoffPolicy;

/**
 * One wait's place in the bounded back-off schedule every spin lock in this package follows
 * (the library's {@link BackoffPolicy}, with this package's numbers): a few rounds of
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
     * Two shapes. Constant: 8 rounds of 8 pauses, for waiters that read a
     * word nobody else writes until the hand-off (queue locks) or that hammer the line on purpose
     * (TAS). Exponential with jitter (Anderson, "The performance of spin lock alternatives for
     * shared-memory multiprocessors", 1990): round r pauses for 2^r plus a random amount below 2^r,
     * capped at 2^6, so contenders that collided on a CAS spread out instead of retrying in
     * lock-step. Both then yield 6 times: on an oversubscribed machine (or a virtual
     * thread's carrier) the holder may be waiting for our CPU. After that the caller must park; the
     * whole spin phase is a few tens of microseconds at most, so a spin lock never burns a core
     * for longer than a context switch would cost.
     *
     * Tried and rejected: unbounded spinning (8 platform threads on 2 cores and 1,000 virtual
     * threads collapse: the holder is descheduled while its waiters spin), and parking without
     * yielding first (a yield is far cheaper than a park/unpark round trip when the holder is
     * merely runnable). Capping the exponential rounds at 2^3 pauses instead of 2^6, so TTAS
     * yields as soon as TAS does: no change oversubscribed or at 2 threads (SpinBench,
     * docs/BENCHMARKS.md, sixth pass).
     */
    /** 8 rounds of 2^3 pauses, then 6 yields. */
    static final BackoffPolicy CONSTANT = BackoffPolicy.spinThenYield(8, 3, 3, false, 6);
    /** 8 rounds of 2^min(r, 6) pauses plus jitter below that, then 6 yields. */
    static final BackoffPolicy EXPONENTIAL = BackoffPolicy.spinThenYield(8, 0, 6, true, 6);

    private final BackoffPolicy policy;
    private int round;

    private Backoff(BackoffPolicy policy) {
        this.policy = policy;
    }

    /** Equal pauses each round. */
    static Backoff constant() {
        return new Backoff(CONSTANT);
    }

    /** Pauses that double each round, with random jitter. */
    static Backoff exponential() {
        return new Backoff(EXPONENTIAL);
    }

    /** Backs off once; returns false when the spin budget is spent and the caller should park. */
    boolean snooze() {
        if (!policy.pause(round)) return false;
        round++;
        return true;
    }

    /** Starts the schedule again (after a wake-up). */
    void reset() {
        round = 0;
    }
}
