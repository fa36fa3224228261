package io.lockstep.sync;

import static io.lockstep.internal.WaitOutcome.DONE;
import static io.lockstep.internal.WaitOutcome.INTERRUPTED;
import static io.lockstep.internal.WaitOutcome.TIMED_OUT;

import io.lockstep.internal.Completions;
import io.lockstep.internal.Deadline;
import io.lockstep.internal.Names;
import io.lockstep.park.AsyncWait;
import io.lockstep.park.ParkResult;
import io.lockstep.park.ParkingLot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * Tokio's {@code Notify}: wakes one waiting thread, or, if none waits, stores a single permit
 * that the next {@link #await()} consumes at once, so a notification sent just before the
 * receiver starts waiting is not lost.
 *
 * <pre>{@code
 * Notify dataReady = new Notify();
 * // consumer
 * for (;;) {
 *     while ((item = queue.poll()) != null) handle(item);
 *     dataReady.await();                          // a notifyOne() sent meanwhile is kept
 * }
 * // producer
 * queue.offer(item);
 * dataReady.notifyOne();
 * }</pre>
 *
 * <p>{@link #notifyOne()} and {@link #notifyWaiters()} stand for tokio's {@code notify_one} and
 * {@code notify_waiters} ({@code notifyAll} is final on {@link Object}). At most one permit is
 * stored: several {@code notifyOne()} calls with nobody waiting release one later {@code await}.
 *
 * <p><b>Memory effects:</b> actions before a notify happen-before the return of the
 * {@code await} it releases (or that consumes its permit).
 */
public final class Notify {
    /*
     * Implementation notes.
     *
     * Based on: tokio's Notify (a permit bit plus a waiter list); waiters park on `this`.
     * State:  PARKED NOTIFIED
     *            0      0     nothing stored, nobody waits
     *            0      1     a permit is stored
     *            1      0     waiters are parked (or about to park, or backing out)
     *            1      1     transient: a permit stored while a parker backs out
     * Invariants:
     *   I1  PARKED is cleared only under this key's bucket lock (unpark and cancel callbacks).
     *   I2  A waiter woken with TOKEN_NOTIFIED was notified (the waker consumed nothing else).
     * notifyOne: with PARKED, unparkOne hands the notification to the longest waiter; if the
     *   queue turned out empty it stores the permit instead, in the same callback (keeps I1).
     * Fairness: waiters are released FIFO (the parking lot's per-key order).
     * awaitAsync: an async waiter in the same line (ParkingLot.parkAsync). Cancel-safety: its
     *   future and the wake race; a future settled by the user first takes the waiter out of the
     *   line; a waiter woken by notifyOne whose future was settled meanwhile passes the
     *   notification on (notifyOne again: the next waiter, or the stored permit), so none is lost.
     *   notifyWaiters wakes with TOKEN_ALL, which is not passed on (it stores nothing either).
     */
    private static final int NOTIFIED = 1, PARKED = 2;
    private static final long TOKEN_NOTIFIED = 1, TOKEN_ALL = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Notify.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state;

    /** A Notify with no stored permit. */
    public Notify() {}

    /** Wakes the longest-waiting thread, or stores a permit if none waits. */
    public void notifyOne() {
        for (;;) {
            int s = state;
            if ((s & PARKED) != 0) {
                ParkingLot.unparkOne(this, r -> {
                    if (r.unparkedThreads() == 0) {                 // all backed out: store it instead
                        setUnderBucketLock(NOTIFIED);
                        return ParkingLot.DEFAULT_UNPARK_TOKEN;
                    }
                    if (!r.haveMoreThreads()) STATE.getAndBitwiseAnd(this, ~PARKED);   // keeps I1
                    return TOKEN_NOTIFIED;
                });
                return;
            }
            if ((s & NOTIFIED) != 0 || STATE.weakCompareAndSetRelease(this, s, s | NOTIFIED)) return;
        }
    }

    /** Wakes every thread waiting now; stores no permit. Returns how many were woken. */
    public int notifyWaiters() {
        if ((state & PARKED) == 0) return 0;
        return ParkingLot.unparkAll(this, r -> {
            STATE.getAndBitwiseAnd(this, ~PARKED);                  // keeps I1
            return TOKEN_ALL;
        });
    }

    /** Waits for a notification (or consumes the stored permit). */
    public void await() throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        if (awaitUntil(Deadline.NONE, true) == INTERRUPTED) throw new InterruptedException();
    }

    /** Waits at most {@code timeout}; returns whether notified. Zero or negative: takes a stored permit only. */
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        if (Thread.interrupted()) throw new InterruptedException();
        int r = awaitUntil(deadline, true);
        if (r == INTERRUPTED) throw new InterruptedException();
        return r == DONE;
    }

    /** Waits, ignoring interrupts (the interrupt status is kept). */
    public void awaitUninterruptibly() {
        awaitUntil(Deadline.NONE, false);
    }

    /** Consumes the stored permit, if any, without waiting. */
    boolean tryConsume() {
        for (int s = state; (s & NOTIFIED) != 0; s = state) {
            if (STATE.weakCompareAndSetAcquire(this, s, s & ~NOTIFIED)) return true;
        }
        return false;
    }

    /** Whether a permit is stored (a snapshot). */
    boolean hasPermit() {
        return (state & NOTIFIED) != 0;
    }

    private int awaitUntil(long deadline, boolean interruptible) {
        for (;;) {
            if (tryConsume()) return DONE;
            int s = state;
            if ((s & NOTIFIED) != 0) continue;
            if (Deadline.expired(deadline)) return TIMED_OUT;
            if ((s & PARKED) == 0 && !STATE.weakCompareAndSet(this, s, s | PARKED)) continue;
            ParkResult r = ParkingLot.park(this, () -> state == PARKED, null, this::parkCancelled,
                    ParkingLot.DEFAULT_PARK_TOKEN, deadline, interruptible);
            switch (r) {
                case ParkResult.Unparked u when u.token() != ParkingLot.DEFAULT_UNPARK_TOKEN -> {
                    return DONE;                             // I2
                }
                case ParkResult.TimedOut t -> {
                    return TIMED_OUT;
                }
                case ParkResult.Interrupted i -> {
                    return INTERRUPTED;
                }
                default -> { }
            }
        }
    }

    /** Cancel callback, under the bucket lock: the last waiter to leave clears PARKED (I1). */
    private void parkCancelled(Object key, boolean wasLastThread) {
        if (wasLastThread) STATE.getAndBitwiseAnd(this, ~PARKED);
    }

    /**
     * A future completed by a notification (or at once by the stored permit), waiting in the same
     * line as the threads in {@link #await()}. <b>Cancel-safe:</b> cancelling it, {@code orTimeout}
     * or completing it yourself loses no notification: a future still waiting leaves the line,
     * and a {@code notifyOne} that reached it just then is passed on to the next waiter (or
     * stored). Dependent stages run on the notifying thread, after its notify call has done its
     * own work and outside every lock, one after another (never nested), or on the caller if the
     * permit was stored.
     */
    public CompletableFuture<Void> awaitAsync() {
        AsyncNotifyWait w = new AsyncNotifyWait();
        for (;;) {
            if (tryConsume()) {
                w.future.complete(null);
                return w.future;
            }
            int s = state;
            if ((s & NOTIFIED) != 0) continue;
            if ((s & PARKED) == 0 && !STATE.weakCompareAndSet(this, s, s | PARKED)) continue;
            AsyncWait queued = ParkingLot.parkAsync(this, () -> state == PARKED, ParkingLot.DEFAULT_PARK_TOKEN, w);
            if (queued == null) continue;
            w.queued = queued;
            w.future.whenComplete(w);
            return w.future;
        }
    }

    /** One awaitAsync: woken by the parking lot, or settled by its user first. */
    private final class AsyncNotifyWait implements LongConsumer, BiConsumer<Void, Throwable> {
        final CompletableFuture<Void> future = new CompletableFuture<>();
        volatile AsyncWait queued;
        private volatile boolean woken;

        @Override
        public void accept(long token) {                    // after the waker released the bucket
            woken = true;
            Completions.run(() -> {
                if (!future.complete(null) && token == TOKEN_NOTIFIED) notifyOne();   // pass it on
            });
        }

        @Override
        public void accept(Void v, Throwable failure) {     // the future completed, maybe by its user
            if (!woken) queued.cancel(Notify.this::parkCancelled);
        }
    }

    /** In an unpark callback: nobody is parked any more, so the state is exactly {@code s} (keeps I1). */
    private void setUnderBucketLock(int s) {
        for (;;) {
            int old = state;
            if (STATE.weakCompareAndSetRelease(this, old, (old & ~PARKED) | s)) return;
        }
    }

    @Override
    public String toString() {
        return Names.describe(this) + (hasPermit() ? "[permit stored]" : "[no permit]");
    }

    /**
     * Names this notify for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * notify, so a field can be named where it is created:
     * {@code private final Notify changed = new Notify().named("changed");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this notify already has another name
     */
    public Notify named(String name) {
        return Names.name(this, name);
    }

    /** This notify's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
