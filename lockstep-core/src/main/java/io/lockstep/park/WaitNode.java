package io.lockstep.park;

import io.lockstep.internal.GuardedBy;

/**
 * One parked thread in a bucket's queue. A node lives for exactly one {@code park} call, so a
 * late {@code LockSupport.unpark} can never be mistaken for a wake-up of a later park: the
 * parked thread trusts only {@link #unparked}, never the return of {@code LockSupport.park}.
 */
final class WaitNode {
    final Thread thread;
    final long parkToken;
    final long parkedAt;                 // nanoTime the wait began, for UnparkResult.beFair
    volatile Object key;                 // written under the bucket lock(s): park, requeue
    @GuardedBy("bucket") WaitNode next;
    @GuardedBy("bucket") long unparkToken; // published by the volatile write to `unparked`
    volatile boolean unparked;           // set once, under the bucket lock, after dequeue

    WaitNode(Thread thread, Object key, long parkToken, long parkedAt) {
        this.thread = thread;
        this.key = key;
        this.parkToken = parkToken;
        this.parkedAt = parkedAt;
    }
}
