package io.lockstep.deadlock;

import io.lockstep.internal.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A background check for deadlocks, started by {@link DeadlockDetector#watch}: every period it
 * calls {@link DeadlockDetector#findDeadlocks()} and reports each deadlock once while it lasts (one
 * that is broken and later forms again is reported again). {@link #close()} stops it.
 *
 * <pre>{@code
 * try (DeadlockWatchdog dog = DeadlockDetector.watch(Duration.ofSeconds(10), d -> alert(d.describe()))) {
 *     serve();
 * }
 * }</pre>
 * The handler runs on the watchdog's thread; an exception from it is passed to that thread's
 * uncaught-exception handler and the watchdog goes on.
 */
public final class DeadlockWatchdog implements AutoCloseable {
    private final Thread thread;
    private final long periodNanos;
    private final Consumer<? super Deadlock> onDeadlock;
    private volatile boolean closed;
    private volatile long scans;                               // written by the watchdog thread only

    DeadlockWatchdog(Duration period, Consumer<? super Deadlock> onDeadlock) {
        this.periodNanos = Deadline.toNanos(period);            // saturates: a huge period means "rarely"
        this.onDeadlock = onDeadlock;
        this.thread = Thread.ofPlatform().daemon().name("lockstep-deadlock-watchdog").unstarted(this::loop);
        thread.start();
    }

    private void loop() {
        Set<Set<List<Object>>> reported = new HashSet<>();
        while (!closed) {
            Set<Set<List<Object>>> current = new HashSet<>();
            List<Deadlock> fresh = new ArrayList<>();
            for (Deadlock d : DeadlockDetector.findDeadlocks()) {
                Set<List<Object>> sig = DeadlockDetector.signature(d);
                current.add(sig);
                if (!reported.contains(sig)) fresh.add(d);
            }
            reported = current;                               // forget deadlocks that are gone
            for (Deadlock d : fresh) {
                try {
                    onDeadlock.accept(d);
                } catch (RuntimeException e) {
                    thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
                }
            }
            scans++;
            long next = Deadline.afterNanos(periodNanos);     // a spurious wake-up must not rescan early
            while (!closed && !Deadline.expired(next)) LockSupport.parkNanos(this, Deadline.remaining(next));
        }
    }

    /** How many checks have completed (for monitoring, and for tests that wait for a few). */
    public long scans() {
        return scans;
    }

    /** Stops the watchdog and waits for its thread to end. Idempotent. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
