package io.lockstep.park;

import io.lockstep.internal.Deadline;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The library's futex: threads wait on, and are woken by, an arbitrary object used as a key.
 *
 * <p>Every blocking primitive in Lockstep is a small state machine over one atomic word that
 * parks here when it must wait, in the manner of WebKit's {@code WTF::ParkingLot} and Rust's
 * {@code parking_lot_core}. The primitive itself needs no queue, no node and no extra fields:
 * a {@link io.lockstep.lock.RawMutex} is one {@code int} and an owner reference.
 *
 * <h2>Building your own primitive</h2>
 * A one-shot latch in a dozen lines. The state word says whether anybody may be parked, so the
 * common paths never touch the parking lot:
 * <pre>{@code
 * final class OneShotLatch {
 *     private static final int OPEN = 1, PARKED = 2;
 *     private final AtomicInteger state = new AtomicInteger();
 *
 *     void await() throws InterruptedException {
 *         while (state.get() != OPEN) {
 *             int s = state.get();
 *             if (s == 0 && !state.compareAndSet(0, PARKED)) continue;   // announce a waiter
 *             // Sleeps only if the latch is still closed when the bucket is locked:
 *             // open() changes the state before it takes the same lock, so no wake-up is lost.
 *             if (ParkingLot.park(this, () -> state.get() == PARKED, null,
 *                     ParkingLot.NO_DEADLINE) instanceof ParkResult.Interrupted) {
 *                 throw new InterruptedException();
 *             }
 *         }
 *     }
 *
 *     void open() {
 *         if (state.getAndSet(OPEN) == PARKED) ParkingLot.unparkAll(this);
 *     }
 * }
 * }</pre>
 *
 * <h2>Callbacks</h2>
 * {@code validate}, the cancel callback, and every unpark callback run <em>with the key's bucket
 * locked</em>: they must be short, must not block, must not call into the parking lot, and
 * should not throw (an exception propagates after the bucket is released; the parking lot stays
 * consistent, but the primitive's own state may not). {@code beforeSleep} runs after the thread
 * is queued and the bucket released; it may unpark other keys (a condition variable unlocks its
 * mutex there) but must not park.
 *
 * <h2>Memory effects</h2>
 * Everything a thread did before an unpark call that wakes a parked thread happens-before that
 * thread returns {@link ParkResult.Unparked}. Actions under a bucket lock (validate, callbacks)
 * are ordered with every other action under the same bucket lock.
 *
 * <p>Deadlines are absolute {@link System#nanoTime()} values; {@link #NO_DEADLINE} waits forever
 * and a deadline already past returns at once.
 */
public final class ParkingLot {
    /*
     * Implementation notes.
     *
     * Based on: WebKit's ParkingLot (Pizlo, 2016) and Amanieu d'Antras' parking_lot_core.
     * Differences: LockSupport instead of per-thread OS parkers (so virtual threads work); a wait
     * node per park call instead of thread-local data (virtual threads are cheap to create, thread
     * locals on them are not free, and a fresh node makes stale unparks harmless); interrupts are a
     * first-class outcome; fairness is judged per waiter (parked >= 0.5 ms) instead of by a
     * per-bucket timer. Tried and rejected: both (a hand-off advised for an old waiter at most
     * once per 0.5 ms per bucket, so that with more threads than cores not every wake-up hands
     * over). MutexBench.oversubscribed moved 1.20x in one quiet run and 0.71x in the rerun
     * (docs/BENCHMARKS.md, third pass): no effect that reproduces.
     *
     * Structure: a power-of-two table of Buckets, indexed by a Fibonacci hash of the key's
     * identity hash code. Each Bucket has an AQS lock and a singly linked FIFO of WaitNodes for all
     * keys hashing to it; FIFO per key follows. The table only grows: when more threads are
     * parked than LOAD_FACTOR x buckets, one thread locks every bucket of the old table in index
     * order, rehashes the nodes (preserving per-key order), publishes the new table and unlocks.
     *
     * Invariants:
     *   I1  A thread locks a bucket and then checks that the table it used is still current; if
     *       not it unlocks and retries. So every queue mutation happens in the current table.
     *   I2  Several buckets are only ever locked in index order (pair operations, growth), so
     *       bucket locks cannot deadlock.
     *   I3  node.unparked is set exactly once, under the bucket lock, after the node is unlinked;
     *       a node is either queued or unparked, never both, never neither (until its park returns).
     *   I4  node.key changes only under the locks of both the old and the new key's buckets.
     *
     * No lost wake-ups. A waker first changes the primitive's state (a release or volatile write),
     * then calls unpark*, which locks the key's bucket. A parker calls validate under the same
     * bucket lock, and enqueues before unlocking. The bucket lock totally orders the two critical
     * sections: either validate runs after the waker's critical section, and then it sees the new
     * state (the unlock/lock pair is a happens-before edge) and returns Invalid; or the parker is
     * queued before the waker looks, and the waker finds it. Primitives keep a "parked" bit in their
     * state word to skip the parking lot when nobody waits; that bit must only be cleared under
     * the bucket lock (in an unpark or cancel callback), which is why those callbacks exist.
     * After dequeuing, the waker publishes the token with the volatile write of node.unparked, then
     * calls LockSupport.unpark; the parker re-checks node.unparked after every return from
     * LockSupport.park, so spurious returns and permits left over from earlier parks are harmless.
     *
     * Cancellation (timeout, interrupt, a throwing beforeSleep) locks the node's current bucket
     * (its key may have been requeued), and either unlinks the node and runs the cancel callback,
     * or finds it already unparked (I3) and reports the unpark instead: a thread that was handed a
     * lock just as it timed out takes the lock.
     *
     * Async waiters (parkAsync) are WaitNodes without a thread: the same queue, order, rehash and
     * I3; "unparking" one calls its onUnpark after the bucket is released, where a thread would be
     * LockSupport.unpark'ed. Their cancel (AsyncWait.cancel) is the same race as a timed-out park:
     * whoever locks the bucket first wins, so the waiter is either removed or woken, never both.
     */

    /** The deadline that never expires (the library's one, {@code Deadline.NONE}). */
    public static final long NO_DEADLINE = Deadline.NONE;
    /** The token an unpark passes when the caller has nothing to say. */
    public static final long DEFAULT_UNPARK_TOKEN = 0;
    /** The token a park leaves when the caller has nothing to say. */
    public static final long DEFAULT_PARK_TOKEN = 0;

    /**
     * How many threads {@link RequeueOp#UNPARK_SOME_REQUEUE_REST} wakes: two per core, at most 4.
     * Each woken thread, by its unlock, wakes one of the moved ones, so this many wake-up chains
     * overlap (two per core: one holds the lock while the next is on its way). Chosen with
     * CondvarBench on 2 cores (a loaded-machine sweep: 1, the single chain, was slowest and 4
     * fastest, 8 slower again; docs/BENCHMARKS.md, fourth pass).
     */
    public static final int REQUEUE_WAKE_LIMIT = Math.min(4, 2 * Runtime.getRuntime().availableProcessors());

    /** Waiters parked longer than this are reported with {@link UnparkResult#beFair()}. */
    static final long FAIR_TIMEOUT_NANOS = 500_000;
    private static final int LOAD_FACTOR = 3;

    /** Runs under the bucket lock when a park is cancelled (timeout, interrupt). */
    @FunctionalInterface
    public interface CancelCallback {
        /**
         * @param key           the key the thread was parked on when cancelled (it differs
         *                      from the key passed to {@code park} if the thread was requeued)
         * @param wasLastThread whether no other thread is parked on {@code key} now
         */
        void cancelled(Object key, boolean wasLastThread);
    }

    /** Runs under both buckets' locks once {@link #unparkRequeue} has moved and woken threads. */
    @FunctionalInterface
    public interface RequeueCallback {
        /** Returns the token for the woken thread, if any. */
        long requeued(RequeueOp op, UnparkResult result);
    }

    private static final class Table {
        final Bucket[] buckets;
        final int shift;

        Table(int size) {
            buckets = new Bucket[size];
            for (int i = 0; i < size; i++) buckets[i] = new Bucket();
            shift = 32 - Integer.numberOfTrailingZeros(size);
        }

        int index(Object key) {
            return (System.identityHashCode(key) * 0x9E3779B9) >>> shift;
        }
    }

    private static volatile Table table =
            new Table(Math.max(16, Integer.highestOneBit(Runtime.getRuntime().availableProcessors() * 4 - 1) << 1));
    private static final AtomicInteger PARKED = new AtomicInteger();

    private ParkingLot() {}

    // ---------------------------------------------------------------- park

    /**
     * Parks the current thread on {@code key}, interruptibly, if {@code validate} still holds.
     * Equivalent to {@code park(key, validate, beforeSleep, null, DEFAULT_PARK_TOKEN, deadline, true)}.
     */
    public static ParkResult park(Object key, BooleanSupplier validate, Runnable beforeSleep, long deadlineNanos) {
        return park(key, validate, beforeSleep, null, DEFAULT_PARK_TOKEN, deadlineNanos, true);
    }

    /**
     * Parks the current thread on {@code key} if {@code validate}, run with the key's bucket
     * locked, returns true.
     *
     * <p>The sleeping thread's park blocker ({@link LockSupport#getBlocker}, what thread dumps
     * show) is {@code key}; a primitive that parks on an internal object passes itself with
     * {@link #park(Object, Object, BooleanSupplier, Runnable, CancelCallback, long, long, boolean)}.
     *
     * @param key           any object; compared by identity
     * @param validate      runs under the bucket lock; false returns {@link ParkResult.Invalid}
     *                      without sleeping
     * @param beforeSleep   runs once the thread is queued and the bucket unlocked; may be null.
     *                      If it throws, the park is cancelled and the exception propagates.
     * @param onCancel      runs under the bucket lock if the park ends by timeout, interrupt or a
     *                      throwing {@code beforeSleep}; may be null
     * @param parkToken     a value wakers can read through {@link #parkedThreads}; informational
     * @param deadlineNanos absolute {@link System#nanoTime()} deadline, or {@link #NO_DEADLINE}
     * @param interruptible if true an interrupt ends the park with {@link ParkResult.Interrupted}
     *                      (clearing the interrupt status); if false the thread keeps waiting and
     *                      its interrupt status is restored before the call returns
     */
    public static ParkResult park(Object key, BooleanSupplier validate, Runnable beforeSleep,
                                  CancelCallback onCancel, long parkToken, long deadlineNanos,
                                  boolean interruptible) {
        return park(key, key, validate, beforeSleep, onCancel, parkToken, deadlineNanos, interruptible);
    }

    /**
     * As {@link #park(Object, BooleanSupplier, Runnable, CancelCallback, long, long, boolean)},
     * with {@code blocker} as the thread's park blocker instead of {@code key}: for a primitive
     * that parks on an internal object (a queue node, one side of a read-write lock), so that
     * {@link LockSupport#getBlocker(Thread)}, thread dumps and profilers name the primitive the
     * thread waits for, not the node.
     *
     * @param blocker what the thread waits for, as tools should show it; not null
     */
    public static ParkResult park(Object key, Object blocker, BooleanSupplier validate, Runnable beforeSleep,
                                  CancelCallback onCancel, long parkToken, long deadlineNanos,
                                  boolean interruptible) {
        return park(key, blocker, validate, beforeSleep, onCancel, parkToken, deadlineNanos, interruptible, System.nanoTime());
    }

    /**
     * As {@link #park(Object, Object, BooleanSupplier, Runnable, CancelCallback, long, long, boolean)},
     * for a thread that has been waiting since {@code waitingSince} ({@link System#nanoTime()}),
     * parks included: {@link UnparkResult#beFair()} counts from then, so a waiter that is woken,
     * loses the race and parks again keeps its age instead of starting over at the queue's tail.
     */
    public static ParkResult park(Object key, Object blocker, BooleanSupplier validate, Runnable beforeSleep,
                                  CancelCallback onCancel, long parkToken, long deadlineNanos,
                                  boolean interruptible, long waitingSince) {
        if (key == null) throw new NullPointerException("key");
        if (blocker == null) throw new NullPointerException("blocker");
        if (validate == null) throw new NullPointerException("validate");
        WaitNode node = new WaitNode(Thread.currentThread(), null, key, parkToken, waitingSince, false);
        Bucket bucket = lockBucket(key);
        try {
            if (!validate.getAsBoolean()) return ParkResult.Invalid.INSTANCE;
            bucket.enqueue(node);
        } finally {
            bucket.unlock();
        }
        growIfNeeded(PARKED.incrementAndGet());
        if (beforeSleep != null) {
            try {
                beforeSleep.run();
            } catch (Throwable t) {
                cancel(node, onCancel);
                throw t;
            }
        }
        boolean interrupted = false;
        try {
            while (!node.unparked) {
                if (Thread.interrupted()) {
                    if (interruptible) {
                        if (cancel(node, onCancel)) return ParkResult.Interrupted.INSTANCE;
                        interrupted = true;    // woken at the same moment: report the wake-up
                        break;
                    }
                    interrupted = true;
                }
                if (deadlineNanos == NO_DEADLINE) {
                    LockSupport.park(blocker);
                } else {
                    long remaining = Deadline.remaining(deadlineNanos);
                    if (remaining <= 0) {
                        if (cancel(node, onCancel)) return ParkResult.TimedOut.INSTANCE;
                        break;
                    }
                    LockSupport.parkNanos(blocker, remaining);
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        return ParkResult.Unparked.of(node.unparkToken);
    }

    /**
     * Takes {@code node} out of its queue. Returns false if an unparker got there first, in which
     * case the node is (or is about to be) marked unparked and its token is valid.
     */
    private static boolean cancel(WaitNode node, CancelCallback onCancel) {
        Bucket bucket = lockBucketOf(node);
        try {
            if (node.unparked) return false;                 // I3: dequeued by a waker
            boolean removed = bucket.remove(node);
            assert removed : "a node that is not unparked must be queued (I3)";
            PARKED.decrementAndGet();
            if (onCancel != null) onCancel.cancelled(node.key, !bucket.contains(node.key));
            return true;
        } finally {
            bucket.unlock();
        }
    }

    // ---------------------------------------------------------------- async waiters

    /**
     * Queues an asynchronous waiter on {@code key}, in the same FIFO line as the threads parked
     * there, if {@code validate}, run with the key's bucket locked, returns true; returns null
     * (queuing nothing) otherwise. Wakers treat it as a parked thread, with two differences:
     * instead of a thread being unparked, {@code onUnpark} is called with the unpark token, on
     * the waker's thread, once the waker has released the bucket (so it may call into the
     * parking lot, but it must not block: hand long work to a trampoline or an executor); and
     * the waker's {@link UnparkResult#beFair()} is always true for it, since an async waiter
     * cannot spin or barge back in, so a lock should hand itself over directly.
     *
     * <p>The waiter stays queued until it is woken or {@linkplain AsyncWait#cancel cancelled};
     * exactly one of the two happens. Async waiters count in {@link #queueLength} but are not
     * threads: {@link #parkedThreads} and {@link #forEachParked} skip them.
     *
     * @param parkToken informational, as for {@code park}
     * @param onUnpark  receives the unpark token; runs at most once
     */
    public static AsyncWait parkAsync(Object key, BooleanSupplier validate, long parkToken, LongConsumer onUnpark) {
        return parkAsync(key, validate, parkToken, onUnpark, System.nanoTime(), false);
    }

    /**
     * As {@link #parkAsync(Object, BooleanSupplier, long, LongConsumer)}, for a waiter that has
     * been waiting since {@code waitingSince} ({@link System#nanoTime()}; see the thread's
     * {@code park} with the same parameter) and, if {@code barging}, that retries like a thread
     * when woken (elsewhere, later: on an executor), so that {@link UnparkResult#beFair()} is
     * true for it only once it has waited long enough, as for a parked thread.
     */
    public static AsyncWait parkAsync(Object key, BooleanSupplier validate, long parkToken, LongConsumer onUnpark,
                                      long waitingSince, boolean barging) {
        if (key == null) throw new NullPointerException("key");
        Objects.requireNonNull(validate, "validate");
        Objects.requireNonNull(onUnpark, "onUnpark");
        WaitNode node = new WaitNode(null, onUnpark, key, parkToken, waitingSince, barging);
        Bucket bucket = lockBucket(key);
        try {
            if (!validate.getAsBoolean()) return null;
            bucket.enqueue(node);
        } finally {
            bucket.unlock();
        }
        growIfNeeded(PARKED.incrementAndGet());
        return new AsyncWait(node);
    }

    /**
     * Takes an async waiter out of its queue, running {@code onCancel} under the bucket lock as
     * for a cancelled park. Returns false if a waker dequeued it first (its {@code onUnpark} runs
     * or has run) or it was cancelled already.
     */
    static boolean cancelAsync(WaitNode node, CancelCallback onCancel) {
        Bucket bucket = lockBucketOf(node);
        try {
            if (node.unparked || !bucket.remove(node)) return false;   // woken (I3) or cancelled before
            PARKED.decrementAndGet();
            if (onCancel != null) onCancel.cancelled(node.key, !bucket.contains(node.key));
            return true;
        } finally {
            bucket.unlock();
        }
    }

    // ---------------------------------------------------------------- unpark

    /**
     * Wakes the thread that has been parked longest on {@code key}, if any. {@code callback} runs
     * under the bucket lock whether or not a thread was found, and returns the token the woken
     * thread receives.
     */
    public static UnparkResult unparkOne(Object key, ToLongFunction<UnparkResult> callback) {
        if (key == null) throw new NullPointerException("key");
        Objects.requireNonNull(callback, "callback");            // before anything is dequeued
        WaitNode woken = null;
        UnparkResult result;
        Bucket bucket = lockBucket(key);
        try {
            WaitNode prev = null, n = bucket.head;
            while (n != null && n.key != key) {
                prev = n;
                n = n.next;
            }
            if (n != null) {
                WaitNode after = n.next;
                bucket.unlink(prev, n);
                woken = n;
                boolean more = false;
                for (WaitNode m = after; m != null && !more; m = m.next) more = m.key == key;
                boolean fair = n.wantsFairness(System.nanoTime(), FAIR_TIMEOUT_NANOS);
                result = new UnparkResult(1, 0, more, fair);
            } else {
                result = UnparkResult.NONE;
            }
            long token = DEFAULT_UNPARK_TOKEN;
            try {
                token = callback.applyAsLong(result);
            } finally {
                if (woken != null) wake(woken, token);
            }
        } finally {
            bucket.unlock();
            // In a finally: a node marked woken must be unparked even if the callback threw.
            if (woken != null) woken.resume();
        }
        return result;
    }

    /** Wakes every thread parked on {@code key} with the default token; returns how many. */
    public static int unparkAll(Object key) {
        return unparkAll(key, r -> DEFAULT_UNPARK_TOKEN);
    }

    /**
     * Wakes every thread parked on {@code key}. {@code callback} runs under the bucket lock and
     * returns the token every woken thread receives. Returns how many were woken.
     */
    public static int unparkAll(Object key, ToLongFunction<UnparkResult> callback) {
        if (key == null) throw new NullPointerException("key");
        Objects.requireNonNull(callback, "callback");
        List<WaitNode> woken = new ArrayList<>();
        Bucket bucket = lockBucket(key);
        try {
            for (WaitNode prev = null, n = bucket.head; n != null; ) {
                WaitNode next = n.next;
                if (n.key == key) {
                    bucket.unlink(prev, n);
                    woken.add(n);
                } else {
                    prev = n;
                }
                n = next;
            }
            long token = DEFAULT_UNPARK_TOKEN;
            try {
                token = callback.applyAsLong(new UnparkResult(woken.size(), 0, false, false));
            } finally {
                for (WaitNode n : woken) wake(n, token);
            }
        } finally {
            bucket.unlock();
            for (WaitNode n : woken) n.resume();                  // even if the callback threw
        }
        return woken.size();
    }

    /**
     * Wakes and/or moves the threads parked on {@code from} to {@code to}, as {@code validate}
     * decides under both buckets' locks. A condition variable uses this to move its waiters onto
     * its mutex instead of waking them all to fight for it (no thundering herd).
     * {@code callback} runs under the locks after the move and returns the token for the woken
     * thread; it is not called if {@code validate} returns {@link RequeueOp#ABORT}.
     */
    public static UnparkResult unparkRequeue(Object from, Object to, Supplier<RequeueOp> validate,
                                             RequeueCallback callback) {
        if (from == null || to == null) throw new NullPointerException("key");
        Objects.requireNonNull(validate, "validate");
        Objects.requireNonNull(callback, "callback");
        List<WaitNode> woken = new ArrayList<>();
        UnparkResult result;
        Bucket[] pair = lockBucketPair(from, to);
        Bucket source = pair[0] , target = pair[1];
        try {
            RequeueOp op = Objects.requireNonNull(validate.get(), "validate returned null");
            if (op == RequeueOp.ABORT) return UnparkResult.NONE;
            int wakeFirst = switch (op) {                      // how many to wake before moving the rest
                case UNPARK_ONE, UNPARK_ONE_REQUEUE_REST -> 1;
                case UNPARK_SOME_REQUEUE_REST -> REQUEUE_WAKE_LIMIT;
                case UNPARK_ALL -> Integer.MAX_VALUE;
                default -> 0;
            };
            boolean one = op == RequeueOp.UNPARK_ONE || op == RequeueOp.REQUEUE_ONE;
            List<WaitNode> moved = new ArrayList<>();
            boolean more = false, fair = false;
            for (WaitNode prev = null, n = source.head; n != null; ) {
                WaitNode next = n.next;
                if (n.key != from) {
                    prev = n;
                } else if (one && (woken.size() + moved.size()) == 1) {
                    more = true;
                    break;
                } else {
                    source.unlink(prev, n);
                    if (woken.size() < wakeFirst) {
                        if (woken.isEmpty()) fair = n.wantsFairness(System.nanoTime(), FAIR_TIMEOUT_NANOS);
                        woken.add(n);
                    } else {
                        moved.add(n);
                    }
                }
                n = next;
            }
            for (WaitNode n : moved) {
                n.key = to;                                  // keeps I4: both buckets locked
                target.enqueue(n);
            }
            result = new UnparkResult(woken.size(), moved.size(), more, fair);
            long token = DEFAULT_UNPARK_TOKEN;
            try {
                token = callback.requeued(op, result);
            } finally {
                for (WaitNode n : woken) wake(n, token);
            }
        } finally {
            source.unlock();
            if (target != source) target.unlock();
            for (WaitNode n : woken) n.resume();                 // even if the callback threw
        }
        return result;
    }

    /** Marks a dequeued node woken; under its bucket lock (I3). */
    private static void wake(WaitNode node, long token) {
        PARKED.decrementAndGet();
        node.unparkToken = token;
        node.unparked = true;
    }

    // ---------------------------------------------------------------- monitoring

    /** How many threads and async waiters are parked on {@code key} right now (a snapshot, for monitoring). */
    public static int queueLength(Object key) {
        Objects.requireNonNull(key, "key");
        Bucket bucket = lockBucket(key);
        try {
            return bucket.count(key);
        } finally {
            bucket.unlock();
        }
    }

    /**
     * Whether {@code thread} is parked on {@code key} right now (a snapshot, for monitoring).
     *
     * @throws NullPointerException if {@code thread} or {@code key} is null (a null thread is
     *         a caller's bug, not a thread that is not parked)
     */
    public static boolean isParkedOn(Thread thread, Object key) {
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(key, "key");
        Bucket bucket = lockBucket(key);
        try {
            for (WaitNode n = bucket.head; n != null; n = n.next) if (n.key == key && n.thread == thread) return true;
            return false;
        } finally {
            bucket.unlock();
        }
    }

    /** The threads parked on {@code key}, longest-waiting first (a snapshot, for monitoring). */
    public static List<Thread> parkedThreads(Object key) {
        Objects.requireNonNull(key, "key");
        List<Thread> threads = new ArrayList<>();
        Bucket bucket = lockBucket(key);
        try {
            for (WaitNode n = bucket.head; n != null; n = n.next) if (n.key == key && n.thread != null) threads.add(n.thread);
        } finally {
            bucket.unlock();
        }
        return threads;
    }

    /**
     * Calls {@code action} with every parked thread (async waiters are not threads and are skipped)
     * and the key it waits on, one bucket at a time
     * (not an atomic snapshot of the whole lot). {@code action} runs under a bucket lock: it must
     * not block or call into the parking lot. Deadlock detectors build their wait-for graph here.
     */
    public static void forEachParked(BiConsumer<Thread, Object> action) {
        Objects.requireNonNull(action, "action");
        Table t = table;
        for (Bucket bucket : t.buckets) {
            bucket.lock();
            try {
                if (table != t) {                            // grew: start over on the new table
                    t = null;
                } else {
                    for (WaitNode n = bucket.head; n != null; n = n.next) if (n.thread != null) action.accept(n.thread, n.key);
                }
            } finally {
                bucket.unlock();
            }
            if (t == null) {
                forEachParked(action);
                return;
            }
        }
    }

    /** Number of buckets in the current table (for tests of growth). */
    static int bucketCount() {
        return table.buckets.length;
    }

    // ---------------------------------------------------------------- buckets

    private static Bucket lockBucket(Object key) {
        for (;;) {
            Table t = table;
            Bucket bucket = t.buckets[t.index(key)];
            bucket.lock();
            if (table == t) return bucket;                   // keeps I1
            bucket.unlock();
        }
    }

    private static Bucket lockBucketOf(WaitNode node) {
        for (;;) {
            Object key = node.key;
            Bucket bucket = lockBucket(key);
            if (node.key == key) return bucket;              // not requeued meanwhile (I4)
            bucket.unlock();
        }
    }

    /** Locks the buckets of two keys in index order (I2); returns {source, target}. */
    private static Bucket[] lockBucketPair(Object from, Object to) {
        for (;;) {
            Table t = table;
            int i = t.index(from), j = t.index(to);
            Bucket first = t.buckets[Math.min(i, j)];
            first.lock();
            if (table != t) {
                first.unlock();
                continue;
            }
            if (i != j) t.buckets[Math.max(i, j)].lock();
            return new Bucket[] {t.buckets[i], t.buckets[j]};
        }
    }

    private static void growIfNeeded(int parked) {
        Table old = table;
        if (parked <= LOAD_FACTOR * old.buckets.length) return;
        for (Bucket b : old.buckets) b.lock();                // index order (I2)
        try {
            if (table != old) return;                        // somebody else grew it
            int size = old.buckets.length;
            while (PARKED.get() > LOAD_FACTOR * size) size <<= 1;
            if (size == old.buckets.length) return;
            Table grown = new Table(size);
            for (Bucket b : old.buckets) {                   // old order kept: FIFO per key survives
                for (WaitNode n = b.head, next; n != null; n = next) {
                    next = n.next;
                    grown.buckets[grown.index(n.key)].enqueue(n);
                }
                b.head = b.tail = null;
            }
            table = grown;
        } finally {
            for (Bucket b : old.buckets) b.unlock();
        }
    }
}
