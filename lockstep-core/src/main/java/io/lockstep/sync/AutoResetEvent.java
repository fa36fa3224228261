package io.lockstep.sync;

import java.time.Duration;

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

    /** Waits at most {@code timeout} for the signal; returns whether it was consumed. */
    public boolean await(Duration timeout) throws InterruptedException {
        return notify.await(timeout);
    }
}
