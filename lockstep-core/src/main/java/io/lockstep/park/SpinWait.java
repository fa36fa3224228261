package io.lockstep.park;

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
    private static final int SPIN_ROUNDS = 3, TOTAL_ROUNDS = 10;
    private int counter;

    /** Backs off once; returns false when the caller should stop spinning and park. */
    public boolean spin() {
        if (counter >= TOTAL_ROUNDS) return false;
        counter++;
        if (counter <= SPIN_ROUNDS) {
            for (int i = 1 << counter; i > 0; i--) Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return true;
    }

    /** Backs off with CPU hints only, never yielding; false once the budget is spent. */
    public boolean spinNoYield() {
        if (counter >= TOTAL_ROUNDS) return false;
        counter++;
        for (int i = 1 << Math.min(counter, SPIN_ROUNDS); i > 0; i--) Thread.onSpinWait();
        return true;
    }

    /** Starts a fresh back-off sequence. */
    public void reset() {
        counter = 0;
    }
}
