package io.lockstep.park;

import io.lockstep.internal.BackoffPolicy;

/**
 * Bounded exponential back-off for the spin phase of a blocking primitive, as parking_lot's
 * {@code SpinWait}: a few rounds of {@link Thread#onSpinWait()} doubling each time, then a few
 * {@link Thread#yield()}s, then {@link #spin()} returns false and the caller parks.
 *
 * <p>Spinning is bounded on purpose: a virtual thread that spins holds its carrier, and on an
 * oversubscribed machine the thread it waits for may not even be running.
 *
 * <pre>{@code
 * SpinWait spin = new SpinWait();
 * while (!tryAcquire()) {
 *     if (!spin.spin()) { parkUntilReleased(); spin.reset(); }
 * }
 * }</pre>
 */
public final class SpinWait {
    /*
     * Implementation notes.
     * The library's one back-off schedule (BackoffPolicy) with parking_lot's numbers: 3 rounds
     * of 2, 4 and 8 pauses, then 7 yields (10 calls); without yields, 10 rounds of 2, 4, 8, 8, ...
     * pauses (70 in all). Both count on one counter, so a wait that mixes them stops after 10.
     */
    static final BackoffPolicy SPIN = BackoffPolicy.spinThenYield(3, 1, 3, false, 7);
    static final BackoffPolicy SPIN_NO_YIELD = BackoffPolicy.spinThenYield(10, 1, 3, false, 0);
    private int counter;

    /** Backs off once; returns false when the caller should stop spinning and park. */
    public boolean spin() {
        if (!SPIN.pause(counter)) return false;
        counter++;
        return true;
    }

    /** Backs off with CPU hints only, never yielding; false once the budget is spent. */
    public boolean spinNoYield() {
        if (!SPIN_NO_YIELD.pause(counter)) return false;
        counter++;
        return true;
    }

    /** Starts a fresh back-off sequence. */
    public void reset() {
        counter = 0;
    }
}
