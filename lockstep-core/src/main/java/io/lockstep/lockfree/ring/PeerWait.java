package io.lockstep.lockfree.ring;

/**
 * The back-off of a thread that waits for a peer caught between claiming a slot and publishing
 * it (crossbeam's {@code Backoff::snooze}): doubling CPU hints, then yields. Such a wait is
 * bounded by that peer's progress, a few instructions, never by a blocked thread, so it does
 * not park.
 *
 * <pre>{@code
 * for (int spins = 0; (stamp = stampOf(slot)) == claimedButUnwritten; spins++) PeerWait.backOff(spins);
 * }</pre>
 */
public final class PeerWait {
    private PeerWait() {}

    /** Backs off for the {@code spins}-th time in a row (counting from 0). */
    public static void backOff(int spins) {
        if (spins < 6) {
            for (int i = 1 << spins; i > 0; i--) Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
