package io.lockstep.rcu;

import io.lockstep.internal.Deadline;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.gate.Gate;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadFactory;

/**
 * Deferred callbacks: each runs after a grace period that began after it was queued, on a worker
 * thread that exists only while callbacks are pending (liburcu's {@code call_rcu} thread).
 */
final class Reclaimer {
    /*
     * Implementation notes.
     *
     * Based on: liburcu's call_rcu worker and rcu_barrier. Differences: one worker per domain,
     * started on demand and ended when the queue is empty, so an idle Rcu holds no thread.
     *
     * State: `pending`, a Treiber stack of callbacks (newest first); `running`, whether a worker
     *   owns the queue.
     * Invariants:
     *   I1  At most one worker runs at a time: it is started only by the CAS of running
     *       false -> true, and running returns to false only when the worker leaves.
     *   I2  A worker that saw the queue empty re-checks it after clearing `running`, so a
     *       callback pushed meanwhile is never stranded (the pusher saw running == true).
     *   I3  The worker takes a batch before it waits for the grace period, so every callback in
     *       a batch was queued before that grace period began.
     * Ordering: batches run in order and each batch oldest first, so a barrier's marker runs only
     *   after every callback queued before it.
     * Failures: a callback that throws is reported to the worker's uncaught-exception handler;
     *   the rest still run.
     */
    private static final VarHandle PENDING, RUNNING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PENDING = l.findVarHandle(Reclaimer.class, "pending", Node.class);
            RUNNING = l.findVarHandle(Reclaimer.class, "running", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private record Node(Runnable callback, Node next) {}

    private final ReaderRegistry registry;
    private final ThreadFactory workers;
    private volatile Node pending;                               // pushed by CAS, taken by the worker
    private volatile boolean running;                            // see I1

    Reclaimer(ReaderRegistry registry, ThreadFactory workers) {
        this.registry = registry;
        this.workers = workers;
    }

    void defer(Runnable callback) {
        for (Node head = pending; ; head = pending) {
            if (PENDING.compareAndSet(this, head, new Node(callback, head))) break;
        }
        if (!running && RUNNING.compareAndSet(this, false, true)) startWorker();   // keeps I1
    }

    private void startWorker() {
        try {
            Thread worker = workers.newThread(this::drain);
            if (worker == null) throw new IllegalStateException("the reclaimer's ThreadFactory returned null");
            worker.start();
        } catch (RuntimeException | Error e) {
            running = false;                                         // the next defer tries again
            throw e;
        }
    }

    /** Waits until every callback queued before this call has run. */
    void barrier() {
        BarrierMarker marker = new BarrierMarker();
        defer(marker);
        marker.await();
    }

    private void drain() {
        for (;;) {
            Node batch = (Node) PENDING.getAndSet(this, null);
            if (batch == null) {
                running = false;
                if (pending == null || !RUNNING.compareAndSet(this, false, true)) return;   // I2
                continue;
            }
            registry.awaitGracePeriod();                             // I3: after taking the batch
            Node oldestFirst = null;
            for (Node n = batch; n != null; n = n.next) oldestFirst = new Node(n.callback, oldestFirst);
            for (Node n = oldestFirst; n != null; n = n.next) run(n.callback);
        }
    }

    private static void run(Runnable callback) {
        try {
            callback.run();
        } catch (Throwable t) {
            Thread self = Thread.currentThread();
            self.getUncaughtExceptionHandler().uncaughtException(self, t);
        }
    }

    /** A callback that opens once it runs; its waiter parks on it. */
    private static final class BarrierMarker implements Runnable {
        private volatile boolean done;

        @Override
        public void run() {
            done = true;
            ParkingLot.unparkAll(this);
        }

        void await() {
            Gate.until(this, () -> done, Deadline.NONE, false);
        }
    }
}
