package io.lockstep.lockfree.ring;

import io.lockstep.internal.BackoffPolicy;

/**
 * The back-off of a thread that waits for a peer caught between claiming a slot and publishing
 * it (crossbeam's {@code Backoff::snooze}): doubling CPU hints, then a few yields, then timed
 * parks that double up to a millisecond (the library's {@link BackoffPolicy}, with these numbers).
 *
 * <pre>{@code
 * for (int spins = 0; (stamp = stampOf(slot)) == claimedButUnwritten; spins++) PeerWait.backOff(spins);
 * }</pre>
 */
public final class PeerWait {
    /*
     * Implementation notes.
     * Why such a wait ends: the peer has made its claim (a CAS) and has only plain stores left
     * before it publishes (SlotRing.publish/take, ListFlavor's write/read and block install):
     * no lock, no park, no user code, no allocation in between, in every caller (Flavor, Select,
     * AsyncOp, the queues). So the peer is a running thread, or a virtual thread that cannot
     * unmount there; it needs only CPU time. A waiter that spins could deny it that time (same
     * core, or every carrier spinning), so after 6 spin rounds (63 onSpinWait) and 4 yields the
     * waiter parks with a timeout, giving its CPU or carrier away: the wait lasts the peer's
     * scheduling delay plus at most one park (<= MAX_PARK_NANOS), never an unbounded spin or
     * yield loop. Timed parks rather than a wake-up from the peer: the peer's publish would
     * need a full fence to look for parked waiters (Dekker), a cost on every send and receive
     * for a wait that is almost always over within the spin rounds.
     * What it cannot survive: a peer that dies between claim and publish (an Error thrown in
     * those few stores) or is suspended by a debugger; the slot's other users then wait on, as
     * in Vyukov's and crossbeam's queues.
     */
    /** 6 spin rounds of 1, 2, ..., 32 pauses, 4 yields, then timed parks from 10 us doubling to 1 ms. */
    static final BackoffPolicy POLICY = BackoffPolicy.spinThenYield(6, 0, 5, false, 4).thenPark(10_000, 1_000_000);

    private PeerWait() {}

    /** Backs off for the {@code spins}-th time in a row (counting from 0). */
    public static void backOff(int spins) {
        POLICY.pause(spins);                    // never false: this policy ends in timed parks
    }
}
