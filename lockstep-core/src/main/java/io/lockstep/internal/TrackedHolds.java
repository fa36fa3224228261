package io.lockstep.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Lock-order and deadlock tracking for locks whose waiters the {@link io.lockstep.park.ParkingLot}
 * cannot show: a JUC (or any foreign) {@link java.util.concurrent.locks.Lock} under a
 * {@code Mutex}, and a {@code Semaphore.tracked} semaphore. Each report goes to
 * {@link LockTracking} (the validator) and is recorded here (who waits for which lock, who holds
 * it) for {@code DeadlockDetector}. Callers report only when {@link LockTracking#ENABLED}, so off
 * costs nothing.
 *
 * <pre>{@code
 * if (LockTracking.ENABLED) TrackedHolds.acquiring(this);   // may throw: nothing taken
 * boolean ok = false;
 * try { ...block until taken...; ok = true; }
 * finally { if (LockTracking.ENABLED) TrackedHolds.acquireEnded(this, ok); }
 * }</pre>
 */
public final class TrackedHolds {
    /*
     * Implementation notes.
     *
     * Two maps, by identity of the thread and (JUC locks and Semaphore keep Object's equals) of
     * the lock: WAITING, each thread's pending blocking acquisition (set before it may block,
     * removed when the acquisition ends either way), and HOLDERS, each lock's holding threads
     * with their hold counts. Both are updated with ConcurrentHashMap's per-key atomic compute,
     * which never blocks. A thread in WAITING may not be parked yet; the detector confirms every
     * cycle with a second snapshot, as for ParkingLot waiters. A release by a thread that holds
     * nothing here (a semaphore permit released from another thread) changes nothing: tracking
     * assumes the thread that took the lock gives it back, as for a lock.
     */
    private static final ConcurrentHashMap<Thread, Object> WAITING = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Object, ConcurrentHashMap<Thread, Integer>> HOLDERS = new ConcurrentHashMap<>();

    private TrackedHolds() {}

    /** Before a blocking acquisition: validates the order (may throw, with nothing recorded), then records the wait. */
    public static void acquiring(Object lock) {
        LockTracking.acquiring(lock, LockTracking.EXCLUSIVE);
        WAITING.put(Thread.currentThread(), lock);
    }

    /** After a blocking acquisition reported by {@link #acquiring} ended: held if {@code acquired}. */
    public static void acquireEnded(Object lock, boolean acquired) {
        WAITING.remove(Thread.currentThread());
        if (acquired) {
            hold(lock);
            LockTracking.acquired(lock, LockTracking.EXCLUSIVE);
        }
    }

    /** After a successful non-blocking or timed try. */
    public static void tryAcquired(Object lock) {
        hold(lock);
        LockTracking.tryAcquired(lock, LockTracking.EXCLUSIVE);
    }

    /** Before the calling thread releases {@code lock}; nothing if it holds none of it. */
    public static void released(Object lock) {
        Thread self = Thread.currentThread();
        boolean[] held = {false};
        HOLDERS.computeIfPresent(lock, (k, holders) -> {
            holders.computeIfPresent(self, (t, n) -> {
                held[0] = true;
                return n == 1 ? null : n - 1;
            });
            return holders.isEmpty() ? null : holders;
        });
        if (held[0]) LockTracking.released(lock);
    }

    private static void hold(Object lock) {
        Thread self = Thread.currentThread();
        HOLDERS.compute(lock, (k, holders) -> {
            if (holders == null) holders = new ConcurrentHashMap<>(2);
            holders.merge(self, 1, Integer::sum);
            return holders;
        });
    }

    /** Each thread waiting in a blocking acquisition of a tracked lock, with that lock (a snapshot). */
    public static void forEachWaiting(BiConsumer<? super Thread, Object> action) {
        WAITING.forEach(action);
    }

    /** Each thread holding {@code lock} as recorded here (a snapshot). */
    public static void forEachHolder(Object lock, Consumer<? super Thread> action) {
        ConcurrentHashMap<Thread, Integer> holders = HOLDERS.get(lock);
        if (holders != null) holders.keySet().forEach(action);
    }
}
