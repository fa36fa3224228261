package io.lockstep.rcu;

import io.lockstep.testing.Await;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

/** Test helpers for RCU tests: waiting for a thread to block, and reclaimer threads that record failures. */
final class Threads {
    private Threads() {}

    /** Waits until {@code t} is blocked (parked) or has ended. */
    static void awaitBlocked(Thread t) {
        Await.blockedOrEnded(t);
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
