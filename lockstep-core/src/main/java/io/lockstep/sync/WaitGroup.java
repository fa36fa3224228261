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
 * Go's {@code sync.WaitGroup}: a counter of outstanding tasks that {@link #await()} waits to reach
 * zero. Unlike a {@link Latch}, the count can go up as well as down and the group can be reused.
 *
 * <pre>{@code
 * WaitGroup wg = new WaitGroup();
 * for (Url u : urls) {
 *     wg.add(1);
 *     Thread.startVirtualThread(() -> { try { fetch(u); } finally { wg.done(); } });
 * }
 * wg.await();                                   // every fetch has finished
 * }</pre>
 *
 * <p>A call that would make the counter negative throws {@link IllegalStateException} and changes
 * nothing (Go panics). Add before starting the task, never from inside it, or {@code await} may
 * return before the task is counted.
 *
 * <p><b>Memory effects:</b> actions before a {@code done()} happen-before the return of an
 * {@code await} that sees the counter at zero.
 */
public final class WaitGroup {
    /*
     * Implementation notes.
     * State: the counter, a volatile int. add is a CAS loop that refuses to go negative (or to
     * overflow); the call that brings it to zero wakes every waiter (Gate's keyed protocol).
     * Waiters that wake after a later add() see a non-zero counter only if they were slow to run:
     * a waiter returns once it has seen zero, as Go's does.
     * awaitAsync: futures in an AsyncWaiters, woken by the same call after the parked threads.
     */
    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(WaitGroup.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int count;
    private final AsyncWaiters async = new AsyncWaiters();

    /** An empty group (counter 0). */
    public WaitGroup() {}

    /**
     * Adds {@code delta} (which may be negative) to the counter; at zero, releases the waiters.
     * @throws IllegalStateException if the counter would go negative or overflow (nothing changes)
     */
    public void add(int delta) {
        for (;;) {
            int c = count;
            long next = (long) c + delta;
            if (next < 0) throw new IllegalStateException("WaitGroup counter would go negative: " + c + " + " + delta);
            if (next > Integer.MAX_VALUE) throw new IllegalStateException("WaitGroup counter overflow");
            if (COUNT.weakCompareAndSetRelease(this, c, (int) next)) {
                if (next == 0 && c != 0) {
                    ParkingLot.unparkAll(this);
                    async.wake();
                }
                return;
            }
        }
    }

    /** One task finished: {@code add(-1)}. */
    public void done() {
        add(-1);
    }

    /** Waits until the counter is zero. */
    public void await() throws InterruptedException {
        Gate.untilInterruptibly(this, this::isZero, Deadline.NONE);
    }

    /**
     * As {@link #await()}, ignoring interrupts: an interrupt does not end the wait, and the
     * interrupt status is set again when this returns.
     */
    public void awaitUninterruptibly() {
        Gate.until(this, this::isZero, Deadline.NONE, false);
    }

    /** Waits at most {@code timeout}; returns whether the counter reached zero. */
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        return Gate.untilInterruptibly(this, this::isZero, deadline);
    }

    /**
     * A future completed when the counter is next seen at zero (at once if it is). Cancel-safe:
     * waiting consumes nothing, so cancelling or timing the future out only withdraws it. As with
     * {@link #await()}, a counter that drops to zero and rises again before the waiters look may
     * keep them waiting for the next zero (Go's rule: reuse a WaitGroup only once every wait has
     * returned). Dependent stages run on the thread whose {@link #done()} reached zero, outside
     * any lock (or on the caller if the counter is zero).
     *
     * <pre>{@code
     * WaitGroup tasks = new WaitGroup();
     * tasks.add(jobs.size());
     * jobs.forEach(job -> executor.execute(() -> { job.run(); tasks.done(); }));
     * return tasks.awaitAsync().thenApply(v -> summary());
     * }</pre>
     */
    public CompletableFuture<Void> awaitAsync() {
        return async.await(this::isZero);
    }

    /** The counter now (a snapshot). */
    public int count() {
        return count;
    }

    private boolean isZero() {
        return count == 0;
    }

    @Override
    public String toString() {
        return Names.describe(this) + "[count=" + count + "]";
    }

    /**
     * Names this wait group for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * wait group, so a field can be named where it is created:
     * {@code private final WaitGroup tasks = new WaitGroup().named("tasks");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this wait group already has another name
     */
    public WaitGroup named(String name) {
        return Names.name(this, name);
    }

    /** This wait group's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
