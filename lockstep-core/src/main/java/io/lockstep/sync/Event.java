package io.lockstep.sync;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.Names;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.gate.Gate;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A manual-reset event, as Python's {@code threading.Event}: a flag that threads
 * {@linkplain #await() wait} to see set. {@link #set()} wakes every waiter and the flag stays set
 * until {@link #clear()}.
 *
 * <pre>{@code
 * Event started = new Event();
 * Thread.startVirtualThread(() -> { boot(); started.set(); });
 * if (!started.await(Duration.ofSeconds(5))) throw new IllegalStateException("did not start");
 * }</pre>
 *
 * <p>A waiter that was waiting when {@code set()} was called returns true even if another thread
 * {@code clear()}s the flag before it runs (it was released, as Python's are).
 *
 * <p><b>Memory effects:</b> actions before {@code set()} happen-before the return of every
 * {@code await} it releases, and of every {@code isSet()} that returns true because of it.
 */
public final class Event {
    /*
     * Implementation notes.
     * State (int): [ sets : 31 | SET ]. set() flips SET on and counts a new generation in the
     * same CAS, then wakes all (Gate's keyed protocol); a waiter is done when SET is on or the
     * count moved since it arrived, so a set() quickly followed by clear() still releases it.
     * awaitAsync: futures in an AsyncWaiters, woken by the same call after the parked threads.
     */
    private static final int SET = 1, ONE_SET = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Event.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state;
    private final AsyncWaiters async = new AsyncWaiters();

    /** An event that is not set. */
    public Event() {}

    /** Sets the flag and releases every waiter. Does nothing if already set. */
    public void set() {
        for (;;) {
            int s = state;
            if ((s & SET) != 0) return;
            if (STATE.weakCompareAndSetRelease(this, s, (s + ONE_SET) | SET)) {
                ParkingLot.unparkAll(this);
                async.wake();
                return;
            }
        }
    }

    /** Clears the flag: later waiters wait for the next {@link #set()}. */
    public void clear() {
        STATE.getAndBitwiseAnd(this, ~SET);
    }

    /** Whether the flag is set. */
    public boolean isSet() {
        return (state & SET) != 0;
    }

    /** Waits until the flag is set. */
    public void await() throws InterruptedException {
        int arrived = state;
        Gate.untilInterruptibly(this, () -> released(arrived), Deadline.NONE);
    }

    /**
     * As {@link #await()}, ignoring interrupts: an interrupt does not end the wait, and the
     * interrupt status is set again when this returns.
     */
    public void awaitUninterruptibly() {
        int arrived = state;
        Gate.until(this, () -> released(arrived), Deadline.NONE, false);
    }

    /** Waits at most {@code timeout}; returns whether it was released (Python's {@code wait(timeout)}). */
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        int arrived = state;
        return Gate.untilInterruptibly(this, () -> released(arrived), deadline);
    }

    /**
     * A future completed by the first {@link #set()} after this call (at once if the flag is set).
     * Cancel-safe: waiting consumes nothing, so cancelling or timing the future out only withdraws
     * it. Dependent stages run on the thread that called {@code set()}, outside any lock (or on the
     * caller if the flag was set); use {@code thenRunAsync(action, executor)} to choose another.
     *
     * <pre>{@code
     * Event started = new Event();
     * started.awaitAsync().thenRun(() -> log("started"));
     * started.set();                                 // runs the log line here
     * }</pre>
     */
    public CompletableFuture<Void> awaitAsync() {
        int arrived = state;
        return async.await(() -> released(arrived));
    }

    private boolean released(int arrived) {
        int s = state;
        return (s & SET) != 0 || (s & ~SET) != (arrived & ~SET);
    }

    @Override
    public String toString() {
        return Names.describe(this) + (isSet() ? "[set]" : "[clear]");
    }

    /**
     * Names this event for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * event, so a field can be named where it is created:
     * {@code private final Event started = new Event().named("started");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this event already has another name
     */
    public Event named(String name) {
        return Names.name(this, name);
    }

    /** This event's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
