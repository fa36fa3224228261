package io.lockstep.rcu;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

/** Test helpers for RCU tests: waiting for a thread to block, and reclaimer threads that record failures. */
final class Threads {
    private Threads() {}

    /** Yields until {@code t} is blocked (parked) or has ended; the caller's @Timeout bounds it. */
    static void awaitBlocked(Thread t) {
        for (Thread.State s = t.getState(); s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING
                && s != Thread.State.TERMINATED; s = t.getState()) {
            Thread.yield();
        }
    }

    /** Platform reclaimer threads whose uncaught exceptions land in {@code failure}. */
    static ThreadFactory recording(AtomicReference<Throwable> failure) {
        return r -> {
            Thread t = new Thread(r, "test-reclaimer");
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> failure.compareAndSet(null, e));
            return t;
        };
    }
}
