package io.lockstep.stm;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.GuardedBy;
import io.lockstep.lock.RawMutex;
import io.lockstep.park.ParkResult;
import io.lockstep.park.ParkingLot;

/**
 * One blocked {@code retry()}: registered on every TVar the transaction read, woken by the first
 * commit that writes any of them. It parks in the ParkingLot keyed by itself.
 */
final class RetryWaiter {
    /*
     * Implementation notes.
     *
     * A waiter holds one Registration per TVar it read; each sits in that TVar's WaitList, an
     * intrusive doubly linked list, so adding and removing one is O(1) and allocates nothing
     * more. The waiter removes every registration it still has on every way out of the wait
     * (woken, woken elsewhere, interrupted), so an abandoned retry leaves nothing behind.
     * Before, a TVar held an immutable list that each registration copied (pruning only woken
     * waiters): an interrupted waiter stayed on every TVar it read until a commit wrote that
     * TVar, so heap grew with every abandoned retry and each registration cost O(waiters ever).
     * Invariants:
     *   I1  A Registration is linked in at most one list, its var's, at most once; `linked` and
     *       the links change only under that list's lock. It is never linked again once out.
     *   I2  No lost wake-up: a waiter links itself (volatile `head` written) and then re-reads
     *       the versions of what it read; a commit releases its TVar (a volatile getAndSet) and
     *       then reads `head`. Volatile accesses are sequentially consistent, so either the
     *       waiter sees the new version or the commit sees the registration.
     * The list lock is a RawMutex (parks, never pins a carrier) held for a few pointer writes;
     * waking happens after it is released.
     */

    /** Set once, by the first waker; read by the parked thread's validate. */
    volatile boolean woken;

    void wake() {
        if (woken) return;
        woken = true;
        ParkingLot.unparkAll(this);
    }

    /** Parks until woken; false if interrupted first (the interrupt status is left set). */
    boolean await() {
        while (!woken) {
            ParkResult r = ParkingLot.park(this, () -> !woken, null, Deadline.NONE);
            if (r instanceof ParkResult.Interrupted) {
                Thread.currentThread().interrupt();
                return woken;
            }
        }
        return true;
    }

    /** This waiter's place in one TVar's {@link WaitList}. */
    static final class Registration {
        final RetryWaiter waiter;
        final WaitList list;
        @GuardedBy("list.lock") Registration prev, next;
        @GuardedBy("list.lock") boolean linked;                     // I1

        Registration(RetryWaiter waiter, WaitList list) {
            this.waiter = waiter;
            this.list = list;
        }

        /** Takes this registration out of its list if it is still there (I1). */
        void remove() {
            list.remove(this);
        }
    }

    /** The retry() waiters of one TVar (its I3). */
    static final class WaitList {
        private final RawMutex lock = new RawMutex();
        @GuardedBy("lock") private volatile Registration head;     // volatile: I2 and the empty check
        @GuardedBy("lock") private Registration tail;
        @GuardedBy("lock") private int size;

        /** Registers {@code waiter} here; the caller must re-check the TVar afterwards (I2). */
        Registration add(RetryWaiter waiter) {
            Registration r = new Registration(waiter, this);
            lock.lock();
            try {
                r.prev = tail;
                if (tail == null) head = r;
                else tail.next = r;
                tail = r;
                r.linked = true;
                size++;
            } finally {
                lock.unlock();
            }
            return r;
        }

        void remove(Registration r) {
            lock.lock();
            try {
                if (!r.linked) return;
                unlink(r);
            } finally {
                lock.unlock();
            }
        }

        @GuardedBy("lock")
        private void unlink(Registration r) {
            if (r.prev == null) head = r.next;
            else r.prev.next = r.next;
            if (r.next == null) tail = r.prev;
            else r.next.prev = r.prev;
            r.prev = r.next = null;
            r.linked = false;
            size--;
        }

        /** After a commit wrote the TVar: takes every registration out and wakes its waiter. */
        void wakeAll() {
            if (head == null) return;                                // I2: read after the release
            Registration first;
            lock.lock();
            try {
                first = head;
                for (Registration r = first; r != null; r = r.next) r.linked = false;
                head = tail = null;
                size = 0;
            } finally {
                lock.unlock();
            }
            // The detached chain is ours: unlinked registrations are never touched again (I1).
            for (Registration r = first, next; r != null; r = next) {
                next = r.next;
                r.prev = r.next = null;
                r.waiter.wake();
            }
        }

        /** How many registrations are present (for tests and monitoring). */
        int size() {
            lock.lock();
            try {
                return size;
            } finally {
                lock.unlock();
            }
        }
    }
}
