package io.lockstep.sync;

import static io.lockstep.internal.WaitOutcome.DONE;
import static io.lockstep.internal.WaitOutcome.INTERRUPTED;
import static io.lockstep.internal.WaitOutcome.TIMED_OUT;

import io.lockstep.internal.Completions;
import io.lockstep.internal.Deadline;
import io.lockstep.internal.Names;
import io.lockstep.internal.jfr.Jfr;
import io.lockstep.internal.jfr.SyncWaitEvent;
import io.lockstep.park.AsyncWait;
import io.lockstep.park.ParkResult;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.SpinWait;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * A cyclic barrier: {@code parties} threads meet at {@link #await()}, then all go on together and
 * the barrier is ready for the next round (a generation). Exactly one thread per generation, the
 * last to arrive, is told it is the leader (Rust's {@code BarrierWaitResult::is_leader}) and runs
 * the optional barrier action before the others are released.
 *
 * <pre>{@code
 * Barrier step = new Barrier(workers, () -> swapBuffers());
 * // each worker:
 * for (int i = 0; i < steps; i++) {
 *     compute(i);
 *     if (step.await()) log("step " + i + " done");   // the leader logs once
 * }
 * }</pre>
 *
 * <p>As {@link java.util.concurrent.CyclicBarrier}: if a waiter is interrupted (unless it waits
 * with {@link #awaitUninterruptibly()}) or times out, or the action throws, the generation is
 * <em>broken</em>: every waiter, and every later arrival, gets
 * {@link BrokenBarrierException} until {@link #reset()}. A waiter whose timeout passes after all
 * parties have arrived waits for the action to finish and returns normally.
 *
 * <p><b>Memory effects:</b> actions before {@code await()} in every party happen-before the
 * barrier action, which happens-before every party's return from {@code await()}.
 *
 * <p><b>Differences from java.util.concurrent</b> ({@link java.util.concurrent.CyclicBarrier}):
 * {@code await} returns whether the caller is the leader (the last to arrive) instead of its
 * arrival index; a failing barrier action breaks the next generation too, so every later
 * arrival fails until {@link #reset()}, as CyclicBarrier leaves itself broken. {@link #isBroken()},
 * {@link #reset()}, {@link #getParties()} and {@link #getNumberWaiting()} (0 on a broken
 * barrier) behave as CyclicBarrier's. A huge timeout waits forever, a zero or negative one does
 * not wait (it breaks the barrier at once unless the caller completes it).
 */
public final class Barrier {
    /*
     * Implementation notes.
     *
     * Based on: CyclicBarrier's generations, without its lock. Each generation is an object with
     * one int [ BROKEN | arrived : 31 ], a `tripped` flag and a `parked` flag; its waiters park
     * on it. The leader releases a generation with one volatile write (tripped) and takes the
     * parking lot's bucket lock only if a waiter has parked: waiters poll the generation for a
     * while first (PAUSE, then a few yields), since at a barrier the others usually arrive within
     * microseconds and a park/unpark pair costs more than that. No convoy: every waiter parks on
     * the generation object and the leader wakes them all with one unparkAll.
     * Invariants:
     *   I1  A generation is broken only while arrived < parties: once the last party arrives it
     *       can only trip (or be broken by its own action failing, by the leader).
     *   I2  `current` is replaced once it is full (by its leader, or by any arrival that finds
     *       it full, which helps instead of spinning: lock-free) or broken (by reset()).
     *   I3  No lost wake-up: a waiter writes `parked` before its park validates "not over" (under
     *       the bucket lock); the leader writes `tripped` before it reads `parked`. Volatile
     *       accesses are totally ordered, so the leader sees `parked` or the waiter sees the trip.
     *       Breakers and a failing action unpark unconditionally (rare).
     * awaitAsync: an arrival like await's; a non-leader's future waits on the generation in the
     *   parking lot (parkAsync, announced in `parked` as a thread's park is, I3), so the same
     *   unparkAll that releases the threads completes it, through Completions. A future settled
     *   by its user while still queued is a waiter giving up: it leaves the queue and breaks the
     *   generation, as a timed-out await does (nothing if every party has arrived, I1).
     */
    private static final int BROKEN = 1 << 31;
    /** Polls of the generation, with Thread.onSpinWait, before the waiter starts yielding. */
    private static final int POLLS = 16;
    private static final VarHandle STATE, CURRENT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Generation.class, "state", int.class);
            CURRENT = l.findVarHandle(Barrier.class, "current", Generation.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Generation {
        volatile int state;                  // BROKEN | arrived
        volatile boolean tripped;            // set by the leader after the action
        volatile boolean parked;             // a waiter may be parked on this generation (I3)

        boolean isOver() {
            return tripped || state < 0;
        }
    }

    private final int parties;
    private final Runnable action;           // may be null
    private volatile Generation current = new Generation();

    /** A barrier for {@code parties} threads, without an action. */
    public Barrier(int parties) {
        this(parties, null);
    }

    /** A barrier for {@code parties} threads; the leader runs {@code action} (may be null) each generation. */
    public Barrier(int parties, Runnable action) {
        if (parties < 1) throw new IllegalArgumentException("parties < 1: " + parties);
        this.parties = parties;
        this.action = action;
    }

    /**
     * Waits for all parties; returns true in exactly one of them per generation (the leader).
     *
     * @throws BrokenBarrierException if the generation was or becomes broken
     * @throws InterruptedException if interrupted while waiting (the generation breaks)
     */
    public boolean await() throws InterruptedException, BrokenBarrierException {
        try {
            return awaitUntil(Deadline.NONE, true);
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * As {@link #await()}, ignoring interrupts: an interrupt neither ends the wait nor breaks the
     * generation, and the interrupt status is set again when this returns or throws.
     *
     * @throws BrokenBarrierException if the generation was or becomes broken (by another party)
     */
    public boolean awaitUninterruptibly() throws BrokenBarrierException {
        try {
            return awaitUntil(Deadline.NONE, false);
        } catch (InterruptedException | TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** As {@link #await()}, for at most {@code timeout}; a timeout breaks the generation. */
    public boolean await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return awaitUntil(Deadline.after(timeout), true);
    }

    /**
     * Arrives without blocking: the future completes with true for the leader (the last to
     * arrive, which runs the action on the calling thread before this returns) and with false for
     * the others once the generation trips; it fails with {@link BrokenBarrierException} if the
     * generation breaks (or is broken already), or with the action's exception for the leader.
     *
     * <p>Cancelling the future, {@code orTimeout} or completing it yourself while it waits is a
     * party giving up, as a timed-out {@link #await(Duration)}: it breaks the generation unless
     * every party has arrived (then the generation trips as usual). Dependent stages run on the
     * leader's thread after the action, outside every lock, one after another (never nested).
     */
    public CompletableFuture<Boolean> awaitAsync() {
        Generation g;
        for (;;) {
            g = current;
            int s = g.state;
            if (s < 0) return CompletableFuture.failedFuture(new BrokenBarrierException());
            if (s >= parties) {                              // full: help the leader replace it (I2)
                CURRENT.compareAndSet(this, g, new Generation());
                continue;
            }
            if (STATE.weakCompareAndSet(g, s, s + 1)) {
                if (s + 1 < parties) break;
                try {
                    return CompletableFuture.completedFuture(lead(g));
                } catch (Throwable t) {
                    return CompletableFuture.failedFuture(t);
                }
            }
        }
        AsyncArrival a = new AsyncArrival(g);
        g.parked = true;                                     // I3, as a parking thread
        AsyncWait queued = ParkingLot.parkAsync(g, () -> !a.g.isOver(), ParkingLot.DEFAULT_PARK_TOKEN, a);
        if (queued == null) {
            a.settle();                                      // over already
        } else {
            a.queued = queued;
            a.future.whenComplete(a);
        }
        return a.future;
    }

    /** One non-leader awaitAsync: completed when its generation is over, or given up by its user. */
    private final class AsyncArrival implements LongConsumer, BiConsumer<Boolean, Throwable> {
        final Generation g;
        final CompletableFuture<Boolean> future = new CompletableFuture<>();
        volatile AsyncWait queued;

        AsyncArrival(Generation g) {
            this.g = g;
        }

        void settle() {
            if (g.tripped) future.complete(false);
            else future.completeExceptionally(new BrokenBarrierException());
        }

        @Override
        public void accept(long token) {                     // woken: the generation is over
            Completions.run(this::settle);
        }

        @Override
        public void accept(Boolean v, Throwable failure) {
            if (queued.cancel(null)) breakGeneration(g);     // settled by its user while waiting: gave up
        }
    }

    /** As {@link #await(Duration)}, in {@link java.util.concurrent.CyclicBarrier}'s units (saturating). */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return awaitUntil(Deadline.after(timeout, unit), true);
    }

    private boolean awaitUntil(long deadline, boolean interruptible)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        if (interruptible && Thread.interrupted()) {
            breakGeneration(current);
            throw new InterruptedException();
        }
        Generation g;
        boolean leader;
        for (;;) {
            g = current;
            int s = g.state;
            if (s < 0) throw new BrokenBarrierException();
            if (s >= parties) {                              // full: help the leader replace it (I2)
                CURRENT.compareAndSet(this, g, new Generation());
                continue;
            }
            if (STATE.weakCompareAndSet(g, s, s + 1)) {
                leader = s + 1 == parties;
                break;
            }
        }
        if (leader) return lead(g);
        SyncWaitEvent e = Jfr.syncWait();             // null unless JFR records it
        int r = awaitOver(g, deadline, interruptible);
        if (e != null) e.end(this, r);
        switch (r) {
            case DONE -> { }
            case INTERRUPTED -> {
                if (breakGeneration(g)) throw new InterruptedException();
                Thread.currentThread().interrupt();          // too late to break (I1): keep the status
                awaitOver(g, Deadline.NONE, false);
            }
            default -> {
                if (breakGeneration(g)) throw new TimeoutException();
                awaitOver(g, Deadline.NONE, false);
            }
        }
        if (!g.tripped) throw new BrokenBarrierException();
        return false;
    }

    /**
     * Waits until {@code g} trips or breaks: polls, yields a few times, then parks (announcing
     * it in {@code g.parked}, I3). Returns DONE, TIMED_OUT or INTERRUPTED (interrupt
     * status cleared); an interrupt that races the trip counts as DONE with the status kept.
     */
    private int awaitOver(Generation g, long deadline, boolean interruptible) {
        for (int i = 0; i < POLLS; i++) {
            if (g.isOver()) return DONE;
            Thread.onSpinWait();
        }
        SpinWait spin = new SpinWait();
        for (;;) {
            if (g.isOver()) return DONE;
            if (spin.spin()) continue;
            if (Deadline.expired(deadline)) return TIMED_OUT;
            g.parked = true;
            ParkResult r = ParkingLot.park(g, this, () -> !g.isOver(), null, null,
                    ParkingLot.DEFAULT_PARK_TOKEN, deadline, interruptible);
            if (r instanceof ParkResult.Interrupted) {
                if (!g.isOver()) return INTERRUPTED;
                Thread.currentThread().interrupt();          // tripped as we were interrupted: success
                return DONE;
            }
        }
    }

    /**
     * The leader: opens the next generation at once (so arrivals never wait on the action), runs
     * the action, then trips {@code g}. If the action throws, {@code g} and the next generation
     * are broken, as CyclicBarrier leaves itself broken, and the exception propagates.
     */
    private boolean lead(Generation g) {
        CURRENT.compareAndSet(this, g, new Generation());   // keeps I2 (or an arrival helped)
        Generation next = current;
        if (action != null) {
            try {
                action.run();
            } catch (Throwable t) {
                STATE.getAndBitwiseOr(g, BROKEN);            // the one exception to I1: by the leader
                breakGeneration(next);
                ParkingLot.unparkAll(g);
                throw t;
            }
        }
        g.tripped = true;                                    // the release: one write
        if (g.parked) ParkingLot.unparkAll(g);               // I3
        return true;
    }

    /** Breaks {@code g} if not every party has arrived (I1); returns whether this call broke it. */
    private boolean breakGeneration(Generation g) {
        for (;;) {
            int s = g.state;
            if (s < 0) return true;                          // already broken: the waiter still failed
            if (s >= parties) return false;
            if (STATE.weakCompareAndSet(g, s, s | BROKEN)) {
                ParkingLot.unparkAll(g);
                return true;
            }
        }
    }

    /**
     * Breaks the current generation (its waiters get {@link BrokenBarrierException}) and starts a
     * fresh one. A generation whose parties have all arrived is left to trip.
     */
    public void reset() {
        Generation g = current;
        if (breakGeneration(g)) CURRENT.compareAndSet(this, g, new Generation());
    }

    /** Whether the current generation is broken (a snapshot). */
    public boolean isBroken() {
        return current.state < 0;
    }

    /** How many parties wait now (a snapshot, for monitoring). */
    public int getNumberWaiting() {
        int s = current.state;
        return s >= 0 && s < parties ? s : 0;                // a broken round's arrivals are leaving
    }

    /** The number of parties. */
    public int getParties() {
        return parties;
    }

    @Override
    public String toString() {
        return Names.describe(this) + "[parties=" + parties + ", waiting=" + getNumberWaiting()
                + (isBroken() ? ", broken" : "") + "]";
    }

    /**
     * Names this barrier for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * barrier, so a field can be named where it is created:
     * {@code private final Barrier phase = new Barrier(4).named("phase");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this barrier already has another name
     */
    public Barrier named(String name) {
        return Names.name(this, name);
    }

    /** This barrier's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
