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
 * A one-shot countdown gate, with {@link java.util.concurrent.CountDownLatch}'s semantics: threads
 * {@linkplain #await() wait} until {@link #countDown()} has been called {@code count} times; then
 * it stays open for good.
 *
 * <pre>{@code
 * Latch ready = new Latch(workers);
 * for (int i = 0; i < workers; i++) {
 *     Thread.startVirtualThread(() -> { warmUp(); ready.countDown(); });
 * }
 * ready.await();                                 // every worker has warmed up
 * }</pre>
 *
 * <p><b>Memory effects:</b> actions before a {@code countDown()} happen-before the return of every
 * {@code await} that sees the count reach zero.
 */
public final class Latch {
    /*
     * Implementation notes.
     * State: the remaining count, a volatile int; 0 is open. countDown is a CAS loop that never
     * goes below zero; the call that reaches zero wakes every waiter (Gate's keyed protocol). No
     * PARKED bit: only one call per latch ever takes the bucket lock.
     * awaitAsync: futures in an AsyncWaiters, woken by the same call after the parked threads.
     */
    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(Latch.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int count;
    private final AsyncWaiters async = new AsyncWaiters();

    /** A latch that opens after {@code count} count-downs (at once if 0). */
    public Latch(int count) {
        if (count < 0) throw new IllegalArgumentException("count < 0: " + count);
        this.count = count;
    }

    /** Counts down once; the call that reaches zero releases every waiter. Does nothing once open. */
    public void countDown() {
        for (;;) {
            int c = count;
            if (c == 0) return;
            if (COUNT.weakCompareAndSetRelease(this, c, c - 1)) {
                if (c == 1) {
                    ParkingLot.unparkAll(this);
                    async.wake();
                }
                return;
            }
        }
    }

    /** Waits until the count reaches zero. */
    public void await() throws InterruptedException {
        Gate.untilInterruptibly(this, this::isOpen, Deadline.NONE);
    }

    /** Waits at most {@code timeout}; returns whether the latch opened (zero or negative: just checks). */
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        return Gate.untilInterruptibly(this, this::isOpen, deadline);
    }

    /** Waits, ignoring interrupts (the interrupt status is kept). */
    public void awaitUninterruptibly() {
        Gate.until(this, this::isOpen, Deadline.NONE, false);
    }

    /**
     * A future completed when the count reaches zero (at once if it has). Cancel-safe: waiting
     * consumes nothing, so cancelling or timing the future out ({@code orTimeout}) only withdraws
     * it. Dependent stages run on the thread whose {@link #countDown()} opened the latch, outside
     * any lock (or on the caller if it was open already); use {@code thenRunAsync(action, executor)}
     * to choose another.
     *
     * <pre>{@code
     * ready.awaitAsync().orTimeout(5, TimeUnit.SECONDS).thenRun(() -> log("all warmed up"));
     * }</pre>
     */
    public CompletableFuture<Void> awaitAsync() {
        return async.await(this::isOpen);
    }

    /** The asynchronous waiters, for tests. */
    AsyncWaiters async() {
        return async;
    }

    /** The remaining count. */
    public int getCount() {
        return count;
    }

    /** Whether the count has reached zero. */
    public boolean isOpen() {
        return count == 0;
    }

    @Override
    public String toString() {
        return Names.describe(this) + "[count=" + count + "]";
    }

    /**
     * Names this latch for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * latch, so a field can be named where it is created:
     * {@code private final Latch ready = new Latch(3).named("ready");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this latch already has another name
     */
    public Latch named(String name) {
        return Names.name(this, name);
    }

    /** This latch's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
