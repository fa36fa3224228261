package io.lockstep.lock;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.Names;
import io.lockstep.park.ParkResult;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.RequeueOp;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
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
 * Lockstep's own mutexes {@link #notifyAllWaiters()} moves the waiters onto the mutex's queue instead of
 * waking them all to fight for it, and a wait releases and re-takes a {@link ReentrantMutex}
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
     * notifyAll over a MutexCore: unparkRequeue under both buckets' locks; if the mutex is held,
     *   move everybody to its queue and set its PARKED bit (its unlock wakes them one by one); if
     *   free, wake one and move the rest. A waiter moved to the mutex may be woken by the mutex's
     *   unlock with a hand-off token, meaning it already owns the mutex.
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
     * (where they wake one at a time as the mutex frees).
     */
    public int notifyAllWaiters() {
        Object l = lock;
        if (l == null) return 0;
        if (l instanceof MutexCore core) {
            var r = ParkingLot.unparkRequeue(this, core,
                    () -> {
                        if (lock != core) return RequeueOp.ABORT;     // waiters left or switched
                        lock = null;
                        return core.markParkedIfLocked() ? RequeueOp.REQUEUE_ALL : RequeueOp.UNPARK_ONE_REQUEUE_REST;
                    },
                    (op, result) -> {
                        if (op == RequeueOp.UNPARK_ONE_REQUEUE_REST && result.requeuedThreads() > 0) core.markParked();
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
            Object current = Condvar.this.lock;
            if (current == null) Condvar.this.lock = lock;
            else if (current != lock) throw new IllegalStateException(
                    "a Condvar cannot wait with two locks at once: waiters already use " + current);
            return true;
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
