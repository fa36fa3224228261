package io.lockstep.park;

import io.lockstep.internal.GuardedBy;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * One parked thread in a bucket's queue, or one asynchronous waiter ({@link #thread} null,
 * {@link #onUnpark} set). A node lives for exactly one {@code park} call, so a
 * late {@code LockSupport.unpark} can never be mistaken for a wake-up of a later park: the
 * parked thread trusts only {@link #unparked}, never the return of {@code LockSupport.park}.
 */
final class WaitNode {
    final Thread thread;                 // null for an async waiter
    final LongConsumer onUnpark;         // an async waiter's wake-up, run after the bucket is released
    final long parkToken;
    final long parkedAt;                 // nanoTime the wait began, for UnparkResult.beFair
    final boolean barging;               // an async waiter that retries like a thread (parkAsync's `barging`)
    volatile Object key;                 // written under the bucket lock(s): park, requeue
    @GuardedBy("bucket") WaitNode next;
    @GuardedBy("bucket") long unparkToken; // published by the volatile write to `unparked`
    volatile boolean unparked;           // set once, under the bucket lock, after dequeue

    WaitNode(Thread thread, LongConsumer onUnpark, Object key, long parkToken, long parkedAt) {
        this(thread, onUnpark, key, parkToken, parkedAt, false);
    }

    WaitNode(Thread thread, LongConsumer onUnpark, Object key, long parkToken, long parkedAt, boolean barging) {
        this.barging = barging;
        this.thread = thread;
        this.onUnpark = onUnpark;
        this.key = key;
        this.parkToken = parkToken;
        this.parkedAt = parkedAt;
    }

    /** After the bucket is released: unparks the thread, or runs the async waiter's wake-up. */
    void resume() {
        if (thread != null) LockSupport.unpark(thread);
        else onUnpark.accept(unparkToken);
    }

    /**
     * Whether the waker should hand over directly: an async waiter cannot spin or barge, unless
     * it retries elsewhere like a thread (barging); otherwise once it has waited long enough.
     */
    boolean wantsFairness(long now, long fairTimeoutNanos) {
        return (thread == null && !barging) || now - parkedAt >= fairTimeoutNanos;
    }
}
