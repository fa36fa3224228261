package io.lockstep.channel.waiting;

import io.lockstep.internal.GuardedBy;
import io.lockstep.lock.RawMutex;

/**
 * A thread-safe {@link Waker} with a lock-free emptiness check, so that the common case (nobody
 * waiting) costs a buffered channel one volatile read per operation (crossbeam's
 * {@code SyncWaker}).
 */
public final class SyncWaker {
    /*
     * Implementation notes.
     * Invariants:
     *   I1  empty == waker.isEmpty() whenever the lock is free; it is written only under the lock.
     * No lost wake-up: a waiter registers (empty := false, volatile) and then re-checks the
     *   channel state (a volatile read of head/tail); a notifier changes head/tail (a volatile
     *   CAS) and then reads empty. Volatile accesses are sequentially consistent, so at least one
     *   of them sees the other: the waiter withdraws, or the notifier finds the registration.
     * The lock is a RawMutex (parks, never pins a carrier); its critical sections are a few list
     *   operations. Unparking happens after the lock is released. size() reads the waker's
     *   count without the lock (a status query never blocks).
     */
    private final RawMutex lock = new RawMutex();
    @GuardedBy("lock")
    private final Waker waker = new Waker();
    private volatile boolean empty = true;      // I1

    public void register(Operation operation, Context context) {
        lock.lock();
        try {
            waker.register(operation, context);
            empty = false;
        } finally {
            lock.unlock();
        }
    }

    public void unregister(Operation operation) {
        lock.lock();
        try {
            waker.unregister(operation);
            empty = waker.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the oldest waiting registration of another thread, if any. */
    public void notifyOne() {
        if (empty) return;
        Operation selected;
        lock.lock();
        try {
            selected = waker.trySelect();
            empty = waker.isEmpty();
        } finally {
            lock.unlock();
        }
        if (selected != null) selected.context.unpark();
    }

    /** Releases every waiting registration with {@link Selected#DISCONNECTED}. */
    public void disconnect() {
        lock.lock();
        try {
            waker.disconnect();
        } finally {
            lock.unlock();
        }
    }

    /** How many registrations are present (for tests and monitoring); never blocks. */
    public int size() {
        return waker.size();
    }
}
