package io.lockstep.lock;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.Completions;
import io.lockstep.internal.Names;
import io.lockstep.internal.OnExecutor;
import io.lockstep.park.AsyncWait;
import io.lockstep.park.ParkResult;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.RequeueOp;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Lock;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * A condition variable (Rust's {@code std::sync::Condvar}, C++'s
 * {@code std::condition_variable}): threads holding a {@link Mutex} wait until another thread
 * changes the protected state and notifies them.
 *
 * <pre>{@code
 * Mutex<Boolean> ready = Mutex.of(false);
 * Condvar changed = new Condvar();
 *
 * // consumer
 * try (MutexGuard<Boolean> g = ready.lock()) {
 *     changed.awaitWhile(g, r -> !r);           // re-checks after every wake-up
 * }
 * // producer
 * try (MutexGuard<Boolean> g = ready.lock()) {
 *     g.set(true);
 * }
 * changed.notifyAllWaiters();
 * }</pre>
 *
 * <p>({@code notifyAll} is final on {@link Object}, hence {@link #notifyAllWaiters()}.)
 *
 * <p>One condvar may serve different mutexes at different times, but not two at once
 * (waiting with a second mutex while threads wait with the first throws
 * {@link IllegalStateException}, as Rust's panics). It works over any {@link Lock}; over
 * Lockstep's own mutexes {@link #notifyAllWaiters()} wakes a few waiters (two per core, at most
 * four) and moves the rest onto the mutex's queue instead of waking them all to fight for it;
 * each woken waiter's unlock then wakes a moved one, so a few wake-ups overlap, and a wait releases and re-takes a {@link ReentrantMutex}
 * completely. Over a foreign lock, the wait calls {@code unlock()} once and {@code lock()} after.
 *
 * <p><b>Memory effects:</b> actions before a notify happen-before the return of a wait it wakes
 * (the mutex provides the rest). Waits may wake spuriously: wait in a loop, or use
 * {@link #awaitWhile}.
 */
public final class Condvar {
    /*
     * Implementation notes.
     *
     * Based on: parking_lot's Condvar. The waiters park on this object's key. `lock` names the
     * lock they wait with; it is set by the first waiter and cleared when the last one leaves,
     * always under this key's bucket lock (in validate, and in unpark/cancel callbacks), so a
     * notifier that reads null may skip the parking lot: any waiter it should wake would have set
     * it, while holding the mutex, before the notifier could have changed the predicate.
     *
     * Wait: validate (under the bucket lock) records the lock; beforeSleep releases the lock
     *   after we are queued, so a notify between release and sleep is not lost.
     * notifyAll over a MutexCore: unparkRequeue under both buckets' locks: wake the first
     *   REQUEUE_WAKE_LIMIT (two per core, at most 4) and move the rest to the mutex's queue,
     *   setting its PARKED bit. Each unlock then wakes one moved waiter, so the woken ones start
     *   that many chains of wake-ups that overlap. Moving everybody (parking_lot's choice while the
     *   mutex is held) makes one chain: a round of CondvarBench's 8 waiters was 8 park-to-run
     *   latencies in a row, as ReentrantLock's signalAll (docs/BENCHMARKS.md, fourth pass). A
     *   waiter moved to the mutex may be woken by the mutex's unlock with a hand-off token,
     *   meaning it already owns the mutex.
     * A waiter that times out or is interrupted after being moved was notified; it reports that.
     */
    private volatile Object lock;   // the lock of the current waiters, or null; see notes

    /** Creates a condition variable with no waiters. */
    public Condvar() {}

    /**
     * Releases the guard's mutex, waits for a notification, and re-takes the mutex.
     *
     * @throws InterruptedException if interrupted while waiting (the mutex is re-taken first)
     * @throws IllegalStateException if the guard is closed
     */
    public void await(MutexGuard<?> guard) throws InterruptedException {
        awaitOn(heldLock(guard), Deadline.NONE, true);
    }

    /**
     * As {@link #await(MutexGuard)}, for at most {@code timeout}.
     *
     * @return false if the timeout elapsed without a notification
     */
    public boolean await(MutexGuard<?> guard, Duration timeout) throws InterruptedException {
        return awaitOn(heldLock(guard), Deadline.after(timeout), true);
    }

    /** As {@link #await(MutexGuard)}, ignoring interrupts (the interrupt status is kept). */
    public void awaitUninterruptibly(MutexGuard<?> guard) {
        awaitOnUninterruptibly(heldLock(guard));
    }

    /** {@link #awaitOn} without a deadline, ignoring interrupts (the interrupt status is kept). */
    void awaitOnUninterruptibly(Lock l) {
        try {
            awaitOn(l, Deadline.NONE, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** Waits while {@code condition} holds for the guarded value, re-checking after each wake-up. */
    public <T> void awaitWhile(MutexGuard<T> guard, Predicate<? super T> condition) throws InterruptedException {
        Objects.requireNonNull(condition, "condition");
        Lock l = heldLock(guard);
        while (condition.test(guard.get())) awaitOn(l, Deadline.NONE, true);
    }

    /** As {@link #awaitWhile(MutexGuard, Predicate)}, ignoring interrupts (the interrupt status is kept). */
    public <T> void awaitWhileUninterruptibly(MutexGuard<T> guard, Predicate<? super T> condition) {
        Objects.requireNonNull(condition, "condition");
        Lock l = heldLock(guard);
        while (condition.test(guard.get())) awaitOnUninterruptibly(l);
    }

    /**
     * Waits while {@code condition} holds, for at most {@code timeout} in all.
     *
     * @return false if the timeout elapsed while the condition still held
     */
    public <T> boolean awaitWhile(MutexGuard<T> guard, Predicate<? super T> condition, Duration timeout)
            throws InterruptedException {
        Objects.requireNonNull(condition, "condition");
        long deadline = Deadline.after(timeout);
        Lock l = heldLock(guard);
        while (condition.test(guard.get())) {
            if (Deadline.expired(deadline)) return false;
            awaitOn(l, deadline, true);
        }
        return true;
    }

    /**
     * Waits without blocking a thread, for a task that holds the mutex through a guard from
     * {@link Mutex#lockAsync()}: releases the guard's lock (the guard is closed), waits for a
     * notification, and completes the future with a new guard that holds the lock again (as
     * async-std's and kotlinx's condition waits). Async waiters share the line with waiting
     * threads; {@link #notifyAllWaiters()} wakes the first few and moves the rest onto the
     * mutex's queue, where the lock is handed to them one by one.
     *
     * <pre>{@code
     * CompletableFuture<MutexGuard<Queue<Job>>> ready = jobs.lockAsync()
     *         .thenCompose(g -> g.get().isEmpty() ? nonEmpty.awaitAsync(g) : CompletableFuture.completedFuture(g));
     * }</pre>
     *
     * <p><b>Cancel-safe:</b> cancelling the future, {@code orTimeout} or completing it yourself
     * loses nothing: a waiter not yet notified leaves the line and holds nothing (the guard stays
     * released); one that was notified and had (or was getting) the lock releases it; and a
     * notification from {@link #notifyOne()} taken by a waiter that then gives up is passed on to
     * another waiter, never lost. Waits may wake spuriously, as every condition wait: re-check.
     *
     * <p><b>Which thread runs dependent stages:</b> the thread that notified (when the lock was
     * free to re-take at once) or the thread whose unlock or guard close handed the lock over,
     * after its release, outside every internal lock, never nested. Use
     * {@link #awaitAsync(MutexGuard, Executor)} to run them on an executor.
     *
     * @throws NullPointerException if {@code guard} is null
     * @throws IllegalStateException if the guard is closed or belongs to a thread (from
     *         {@link Mutex#lock()}: use {@link #await(MutexGuard)}), or threads wait on this
     *         condvar with another lock; the guard still holds the lock then
     */
    public <T> CompletableFuture<MutexGuard<T>> awaitAsync(MutexGuard<T> guard) {
        Objects.requireNonNull(guard, "guard");
        return new AsyncWaiter<>(guard.mutexForAsyncWait()).start(guard);
    }

    /**
     * As {@link #awaitAsync(MutexGuard)}, with the future completed, and so dependent stages run,
     * by {@code executor}. A guard that reaches the executor after the future was cancelled is
     * closed (the notification it took is then not passed on: the waiter had it and the lock).
     *
     * @throws NullPointerException if {@code guard} or {@code executor} is null (nothing is released)
     */
    public <T> CompletableFuture<MutexGuard<T>> awaitAsync(MutexGuard<T> guard, Executor executor) {
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(executor, "executor");
        return OnExecutor.complete(() -> awaitAsync(guard), executor);
    }

    /** Wakes one waiting thread; returns whether there was one. */
    public boolean notifyOne() {
        if (lock == null) return false;                       // nobody waits (see notes)
        return ParkingLot.unparkOne(this, r -> {
            if (!r.haveMoreThreads()) lock = null;
            return MutexCore.TOKEN_NORMAL;
        }).unparkedThreads() != 0;
    }

    /**
     * Wakes every waiting thread; returns how many were woken or moved onto their mutex's queue
     * (a few wake at once, the rest one at a time as the mutex frees).
     */
    public int notifyAllWaiters() {
        Object l = lock;
        if (l == null) return 0;
        if (l instanceof MutexCore core) {
            var r = ParkingLot.unparkRequeue(this, core,
                    () -> {
                        if (lock != core) return RequeueOp.ABORT;     // waiters left or switched
                        lock = null;
                        return RequeueOp.UNPARK_SOME_REQUEUE_REST;
                    },
                    (op, result) -> {
                        if (result.requeuedThreads() > 0) core.markParked();   // their unlocks wake the moved ones
                        return MutexCore.TOKEN_NORMAL;
                    });
            return r.unparkedThreads() + r.requeuedThreads();
        }
        return ParkingLot.unparkAll(this, r -> {
            lock = null;
            return MutexCore.TOKEN_NORMAL;
        });
    }

    /**
     * The wait itself, for {@link MutexCondition} and the public methods: the caller holds
     * {@code l}. Returns false on timeout; re-takes {@code l} before returning or throwing.
     */
    boolean awaitOn(Lock l, long deadline, boolean interruptible) throws InterruptedException {
        if (interruptible && Thread.interrupted()) throw new InterruptedException();
        Waiter w = new Waiter(l);
        ParkResult r = ParkingLot.park(this, w, w, w::cancelled, ParkingLot.DEFAULT_PARK_TOKEN, deadline, interruptible);
        long token = r instanceof ParkResult.Unparked u ? u.token() : MutexCore.TOKEN_NORMAL;
        if (w.core != null) w.core.restoreAfterWait(w.saved, token);
        else l.lock();
        return switch (r) {
            case ParkResult.TimedOut t -> w.requeued;          // moved to the mutex: notified
            case ParkResult.Interrupted i -> {
                if (!w.requeued) throw new InterruptedException();
                Thread.currentThread().interrupt();            // notified first; keep the interrupt
                yield true;
            }
            default -> true;
        };
    }

    private static Lock heldLock(MutexGuard<?> guard) {
        Objects.requireNonNull(guard, "guard");
        return guard.lockForWait();
    }

    /** validate of every wait, under the bucket lock: records the waiters' lock; true. */
    private boolean waitWith(Object l) {
        Object current = lock;
        if (current == null) lock = l;
        else if (current != l) throw new IllegalStateException(
                "a Condvar cannot wait with two locks at once: waiters already use " + current);
        return true;
    }

    /**
     * One awaitAsync. Implementation notes: the request is queued on this condvar like a thread
     * (validate records the lock), and only then releases the guard, so a notify in between is
     * not missed. It is woken exactly once (ParkingLot): from this condvar's line with
     * TOKEN_NORMAL (notifyOne, or the one notifyAllWaiters wakes), after which it re-takes the
     * mutex through lockAsync; or, after notifyAllWaiters moved it onto the mutex, by the mutex's
     * unlock with TOKEN_HANDOFF (an async waiter is always handed the lock: MutexCore's I3), so
     * it holds the lock already. Cancel: the future's completion by anyone else cancels the
     * queued wait (its callback runs for whichever key it is on now) or the re-acquisition; a
     * waiter that was notified from this condvar's line and does not deliver a guard owes that
     * notification and passes it on with notifyOne. `relock` is written before the future is
     * checked again, and the future is completed before accept reads `relock` (Dekker).
     */
    private final class AsyncWaiter<T> implements LongConsumer, BiConsumer<MutexGuard<T>, Throwable> {
        private final Mutex<T> mutex;
        private final RawMutex raw;
        private final CompletableFuture<MutexGuard<T>> future = new CompletableFuture<>();
        private volatile AsyncWait queued;
        private volatile CompletableFuture<MutexGuard<T>> relock;
        private volatile MutexGuard<T> delivered;

        AsyncWaiter(Mutex<T> mutex) {
            this.mutex = mutex;
            this.raw = mutex.rawMutex();
        }

        CompletableFuture<MutexGuard<T>> start(MutexGuard<T> guard) {
            queued = ParkingLot.parkAsync(Condvar.this, () -> waitWith(raw), ParkingLot.DEFAULT_PARK_TOKEN, this);
            guard.close();                                     // queued first: a notify from now on finds us
            future.whenComplete(this);
            return future;
        }

        @Override
        public void accept(long token) {                       // woken, after the bucket is released
            Completions.run(() -> woken(token));
        }

        private void woken(long token) {
            if (token == MutexCore.TOKEN_HANDOFF) {            // moved onto the mutex and handed the lock
                MutexGuard<T> g;
                try {
                    g = mutex.guardHandedOver();
                } catch (PoisonedException poisoned) {         // the lock is released already
                    future.completeExceptionally(poisoned);
                    return;
                }
                delivered = g;
                if (!future.complete(g)) g.close();            // notifyAll woke everyone: nothing to pass on
                return;
            }
            if (future.isDone()) {
                notifyOne();                                   // we took a notification nobody will use
                return;
            }
            CompletableFuture<MutexGuard<T>> f = mutex.lockAsync();
            relock = f;
            f.whenComplete(this::relocked);
            if (future.isDone()) f.cancel(false);              // completed meanwhile (see the notes)
        }

        private void relocked(MutexGuard<T> g, Throwable failure) {
            if (g != null) {
                delivered = g;
                if (future.complete(g)) return;
                g.close();
            } else if (!(failure instanceof java.util.concurrent.CancellationException) && future.completeExceptionally(failure)) {
                return;                                        // poisoned: the waiter learns it
            }
            notifyOne();                                       // notified, but nobody takes the lock: pass it on
        }

        @Override
        public void accept(MutexGuard<T> value, Throwable failure) {   // the future completed
            if (failure == null && value != null && value == delivered) return;
            AsyncWait w = queued;
            if (w != null && w.cancel(this::cancelled)) return;         // left the line un-notified: nothing owed
            CompletableFuture<MutexGuard<T>> f = relock;
            if (f != null) f.cancel(false);                    // cancel-safe; relocked passes the notification on
        }

        /** Under the bucket lock of the key the waiter is on now: this condvar, or the mutex it was moved to. */
        private void cancelled(Object key, boolean wasLast) {
            if (key == Condvar.this) {
                if (wasLast) lock = null;
            } else {
                raw.parkCancelled(key, wasLast);
            }
        }
    }

    /** One wait: validate and beforeSleep for the parking lot, and what they learn. */
    private final class Waiter implements BooleanSupplier, Runnable {
        final Lock lock;
        final MutexCore core;       // non-null for Lockstep's mutexes: requeue and full release
        int saved;                  // what releaseForWait returned
        boolean requeued;           // written by the cancel callback, read by the same thread

        Waiter(Lock lock) {
            this.lock = lock;
            this.core = lock instanceof MutexCore c ? c : null;
            if (core != null && !core.heldByCurrentThread()) throw core.notOwner();
        }

        @Override
        public boolean getAsBoolean() {                        // validate, under the bucket lock
            return waitWith(lock);
        }

        @Override
        public void run() {                                    // beforeSleep: we are queued
            if (core != null) saved = core.releaseForWait();
            else lock.unlock();
        }

        void cancelled(Object key, boolean wasLastThread) {    // under the bucket lock
            requeued = key != Condvar.this;
            if (!requeued && wasLastThread) Condvar.this.lock = null;
        }
    }

    /**
     * Names this condition variable for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * condition variable, so a field can be named where it is created:
     * {@code private final Condvar changed = new Condvar().named("queue-changed");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this condition variable already has another name
     */
    public Condvar named(String name) {
        return Names.name(this, name);
    }

    /** This condition variable's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }

    /** The state, as {@code Condvar "queue-changed"[waiters=2]}; never blocks for long (a bucket lock, for the count). */
    @Override
    public String toString() {
        return Names.describe(this) + "[waiters=" + ParkingLot.queueLength(this) + "]";
    }
}
