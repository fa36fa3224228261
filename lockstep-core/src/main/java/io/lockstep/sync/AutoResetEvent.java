package io.lockstep.sync;

import io.lockstep.internal.Names;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An auto-reset event, as Win32's and .NET's {@code AutoResetEvent}: each {@link #set()} releases
 * exactly one waiting thread and resets itself; if no thread waits, the event stays signalled
 * until one {@link #await()} consumes the signal. Signals do not accumulate: it is signalled or
 * not, unlike a {@link Semaphore}.
 *
 * <pre>{@code
 * AutoResetEvent turn = new AutoResetEvent();
 * // worker
 * for (;;) { turn.await(); doOneStep(); }
 * // driver
 * turn.set();                                   // exactly one step runs
 * }</pre>
 *
 * <p>The same state machine as {@link Notify}'s {@code notifyOne}, under the names Windows and
 * .NET programmers know.
 *
 * <p><b>Memory effects:</b> actions before {@code set()} happen-before the return of the
 * {@code await} that it releases.
 */
public final class AutoResetEvent {
    private final Notify notify = new Notify();

    /** An event that is not signalled. */
    public AutoResetEvent() {}

    /** Releases one waiting thread, or leaves the event signalled for the next one. */
    public void set() {
        notify.notifyOne();
    }

    /** Takes the signal back if no thread has consumed it yet. */
    public void reset() {
        notify.tryConsume();
    }

    /** Whether the event is signalled (a snapshot). */
    public boolean isSet() {
        return notify.hasPermit();
    }

    /** Waits until signalled, and consumes the signal. */
    public void await() throws InterruptedException {
        notify.await();
    }

    /**
     * As {@link #await()}, ignoring interrupts: an interrupt does not end the wait, and the
     * interrupt status is set again when this returns.
     */
    public void awaitUninterruptibly() {
        notify.awaitUninterruptibly();
    }

    /**
     * A future completed when a {@link #set()} releases it (at once, consuming the signal, if the
     * event is signalled), in line with the waiting threads. Cancel-safe as
     * {@link Notify#awaitAsync()}: a signal that reached a cancelled future goes to the next
     * waiter or stays set.
     */
    public CompletableFuture<Void> awaitAsync() {
        return notify.awaitAsync();
    }

    /** Waits at most {@code timeout} for the signal; returns whether it was consumed. */
    public boolean await(Duration timeout) throws InterruptedException {
        return notify.await(timeout);
    }

    /**
     * Names this event for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * event, so a field can be named where it is created:
     * {@code private final AutoResetEvent work = new AutoResetEvent().named("work");}
     * The {@link Notify} underneath gets the same name unless it has one.
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this event already has another name
     */
    public AutoResetEvent named(String name) {
        Names.name(this, name);
        Names.nameIfUnnamed(notify, name);                // threads park on it: blockers, JFR events
        return this;
    }

    /** This event's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }

    /** The state, as {@code AutoResetEvent "work"[set]}; never blocks. */
    @Override
    public String toString() {
        return Names.describe(this) + (isSet() ? "[set]" : "[clear]");
    }
}
