package io.lockstep.park;

import io.lockstep.internal.GuardedBy;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * One slot of the parking lot's hash table: a FIFO queue of {@link WaitNode}s for every key that
 * hashes here, and the lock that guards it.
 *
 * <p>The lock is a minimal non-reentrant AQS mutex. It is held only for queue surgery and the
 * short callbacks of the parking protocol, never across a park. AQS parks through LockSupport,
 * so a contended bucket blocks platform and virtual threads alike without pinning a carrier.
 * Tried and rejected: {@code synchronized} (pins virtual threads on JDK 21); a pure spin lock
 * (a descheduled holder makes waiters spin unboundedly, fatal on 2 cores or on a virtual thread).
 */
final class Bucket extends AbstractQueuedSynchronizer {
    @GuardedBy("this") WaitNode head, tail;
    // Buckets are allocated together; padding keeps two hot buckets off one cache line.
    @SuppressWarnings("unused") private long p1, p2, p3, p4, p5, p6;

    void lock() {
        if (!compareAndSetState(0, 1)) acquire(1);
    }

    void unlock() {
        release(1);
    }

    @Override
    protected boolean tryAcquire(int ignored) {
        return compareAndSetState(0, 1);
    }

    @Override
    protected boolean tryRelease(int ignored) {
        setState(0);
        return true;
    }

    void enqueue(WaitNode node) {
        node.next = null;
        if (tail == null) head = node;
        else tail.next = node;
        tail = node;
    }

    /** Unlinks {@code node}, whose predecessor is {@code prev} (null when it is the head). */
    void unlink(WaitNode prev, WaitNode node) {
        WaitNode next = node.next;
        if (prev == null) head = next;
        else prev.next = next;
        if (tail == node) tail = prev;
        node.next = null;
    }

    /** Removes {@code node} if queued here; returns whether it was. */
    boolean remove(WaitNode node) {
        for (WaitNode prev = null, n = head; n != null; prev = n, n = n.next) {
            if (n == node) {
                unlink(prev, n);
                return true;
            }
        }
        return false;
    }

    /** Whether any node is parked on {@code key}. */
    boolean contains(Object key) {
        for (WaitNode n = head; n != null; n = n.next) if (n.key == key) return true;
        return false;
    }

    int count(Object key) {
        int c = 0;
        for (WaitNode n = head; n != null; n = n.next) if (n.key == key) c++;
        return c;
    }
}
