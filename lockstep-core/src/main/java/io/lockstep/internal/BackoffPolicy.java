package io.lockstep.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The library's one bounded back-off schedule: {@code spinRounds} rounds of
 * {@link Thread#onSpinWait()} (doubling from {@code 2^firstShift} up to {@code 2^maxShift}
 * pauses a round, with random jitter below that if asked), then {@code yieldRounds}
 * {@link Thread#yield()}s, then either the caller parks ({@link #pause} returns false) or, for a
 * wait nobody will wake, timed parks doubling from {@code minParkNanos} to {@code maxParkNanos}.
 * Each kind of wait keeps its own tuning numbers in a {@code static final} policy; the wait
 * itself counts the rounds.
 *
 * <pre>{@code
 * static final BackoffPolicy SPIN_THEN_PARK = BackoffPolicy.spinThenYield(3, 1, 3, false, 7);
 * int round = 0;
 * while (!tryAcquire()) {
 *     if (SPIN_THEN_PARK.pause(round)) round++;
 *     else { parkUntilReleased(); round = 0; }
 * }
 * }</pre>
 *
 * @param spinRounds   rounds of {@code onSpinWait}
 * @param firstShift   round 0 pauses {@code 2^firstShift} times; each later round doubles
 * @param maxShift     the pauses of a round stop doubling at {@code 2^maxShift}
 * @param jitter       add a random number of pauses below the round's base (Anderson's
 *                     exponential back-off), so contenders that collided spread out
 * @param yieldRounds  rounds of {@code Thread.yield()} after the spin rounds
 * @param minParkNanos the first timed park after the yields; 0: no timed parks, the caller parks
 * @param maxParkNanos the longest timed park
 */
public record BackoffPolicy(int spinRounds, int firstShift, int maxShift, boolean jitter, int yieldRounds,
                            long minParkNanos, long maxParkNanos) {
    /*
     * Implementation notes.
     * A record, not a class, and held in static finals: HotSpot trusts a record's final fields as
     * constants, so a static final policy folds into its callers as the literals it replaced did.
     * Why bounded: a virtual thread that spins holds its carrier, and on an oversubscribed machine
     * the thread it waits for may not even be running; the yields hand the CPU to a runnable
     * holder more cheaply than a park/unpark round trip. The callers' notes say why their numbers.
     */

    /** A spin-then-yield schedule after which the caller parks (and is woken by the other side). */
    public static BackoffPolicy spinThenYield(int spinRounds, int firstShift, int maxShift, boolean jitter, int yieldRounds) {
        return new BackoffPolicy(spinRounds, firstShift, maxShift, jitter, yieldRounds, 0, 0);
    }

    /** This schedule, then timed parks from {@code minNanos} doubling to {@code maxNanos}, forever. */
    public BackoffPolicy thenPark(long minNanos, long maxNanos) {
        return new BackoffPolicy(spinRounds, firstShift, maxShift, jitter, yieldRounds, minNanos, maxNanos);
    }

    /**
     * Backs off for round {@code round} (the caller's count of back-offs in a row, from 0);
     * false, without waiting, once the spin and yield rounds are spent and this policy has no
     * timed parks: the caller should park until woken.
     */
    public boolean pause(int round) {
        return pause(round, null, Deadline.NONE);
    }

    /**
     * As {@link #pause(int)}, for a wait with a deadline that nobody will wake (polling another
     * process): a timed park never runs past {@code deadline} and shows {@code blocker} (may be
     * null) in thread dumps. The caller checks the deadline; this only keeps the park inside it.
     */
    public boolean pause(int round, Object blocker, long deadline) {
        if (round < spinRounds) {
            for (int i = pauses(round); i > 0; i--) Thread.onSpinWait();
        } else if (round < spinRounds + yieldRounds) {
            Thread.yield();
        } else if (minParkNanos > 0) {
            LockSupport.parkNanos(blocker, Math.min(parkNanos(round), Deadline.remaining(deadline)));
        } else {
            return false;
        }
        return true;
    }

    /** The {@code onSpinWait}s of spin round {@code round} (random if jittered). */
    public int pauses(int round) {
        int base = 1 << Math.min(round + firstShift, maxShift);
        return jitter ? base + ThreadLocalRandom.current().nextInt(base) : base;
    }

    /** The timed park of round {@code round}, once spins and yields are spent. */
    public long parkNanos(int round) {
        int doublings = round - spinRounds - yieldRounds;
        if (doublings >= Long.numberOfLeadingZeros(minParkNanos) - 1) return maxParkNanos;   // the shift would overflow
        return Math.min(maxParkNanos, minParkNanos << doublings);
    }
}
