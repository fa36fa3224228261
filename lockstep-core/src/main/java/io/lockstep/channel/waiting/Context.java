package io.lockstep.channel.waiting;

import io.lockstep.internal.Deadline;
import io.lockstep.park.SpinWait;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One wait of one thread for one or more channel operations (crossbeam's {@code Context}).
 * Other threads complete the wait by selecting it, exactly once: with the {@link Operation} that
 * can now proceed, or with a {@link Selected} reason. The selection is the commit point: whoever
 * wins the selection decides how the wait ends.
 *
 * <p>A wait on a single registration needs no separate object: {@link Operation#waiting} and
 * {@link Operation#callback} make an operation that is its own context (a blocking send or
 * receive, an async operation, the first case of a select).
 */
public sealed class Context permits Operation {
    /*
     * Implementation notes.
     *
     * Based on: crossbeam-channel's context.rs. Differences: a fresh Context per wait instead of a
     * thread-local one reset between uses (virtual threads make thread locals costly, and a fresh
     * object makes a stale selection harmless); a rendezvous receive's message travels in the
     * Operation (item) rather than in the context.
     * Merged with the operation (issue 14): Operation extends Context, so a wait on one
     *   registration (a blocking send or receive, an async operation's callback wait)
     *   allocates one 48-byte object, not an Operation and a Context (40 + 32 bytes); a
     *   select's first case is its wait the same way and the other cases point at it. An
     *   Operation that is not a wait (a select's other cases, a queue's dummy) leaves thread
     *   and onSelected null and is never awaited or selected. Selecting a merged wait with itself ("this operation proceeds") is no
     *   different from selecting a Context with its operation: the selection word holds the
     *   operation either way.
     *
     * State:
     *   selected   null                waiting
     *              Operation           an operation of this wait may proceed (set by its partner)
     *              Selected.*          withdrawn, closed, timed out or interrupted
     *   sleeping   false / true        the waiter may be parked (LockSupport)
     * Invariants:
     *   I1  selected changes once, from null, by CAS (trySelect).
     *   I2  A selector calls unpark() after winning the CAS; unpark() unparks the waiter only if
     *       sleeping was set, and the waiter sets sleeping before it re-reads selected and parks:
     *       both are volatile, so either the waiter sees the selection and does not park, or the
     *       selector sees sleeping and unparks it (Dekker; no lost wake-up). A permit left over
     *       from an unpark that was not needed only makes a later LockSupport.park return early,
     *       which every park loop (this one too) treats as spurious.
     * Parking: LockSupport directly, not the ParkingLot: the context is a one-shot wait with one
     *   waiter, known in advance (thread), so a queue keyed by the context would only add a
     *   bucket lock and a node per wait. Deadlines and interrupts are handled here: a timeout or
     *   interrupt ends the wait only by winning the selection (TIMED_OUT / INTERRUPTED); if a
     *   partner won first its selection stands and an interrupt is left pending. A
     *   non-interruptible wait clears the interrupt status to keep parking and restores it at
     *   the end.
     * Spinning: a platform thread spins a few rounds (SpinWait) before parking: a partner usually
     *   arrives within microseconds and a park/unpark costs more. A virtual thread parks at once
     *   by default: the partner it wakes is queued on its own carrier and runs only once it
     *   waits, so a spin only delays it (measured for the bounded channel and select: 4P4C on
     *   virtual threads 33 -> 87 ns and 55 -> 120 ns with a spin). The rendezvous flavor asks for
     *   a spin on virtual threads too (spinVirtual, CPU hints only: SpinWait.spinNoYield): there
     *   the two sides meet at every message, and with one on each carrier a spin meets the
     *   partner while a park costs a carrier's sleep and wake-up per message (ZeroFlavor's notes
     *   have the figures). The JDK's LinkedTransferQueue spins on virtual threads unless the
     *   carrier has queued work, which it can ask ForkJoinWorkerThread and we cannot.
     * Tried and rejected for virtual threads: 1 to 16 Thread.yield()s before parking (ChannelBench
     *   rendezvous 1P1C ~310 ns, against ~210 with the spin: a yield goes through the scheduler
     *   even with nothing else to run), and skipping the spin while a thread this one woke has
     *   not run yet (a stand-in for the JDK's queued-work test; no better in 10 forks).
     *   For platform threads on a rendezvous: CPU hints only, no yields (so a loser parks
     *   sooner at 4P4C): 1P1C fell from 4.3-4.9x SynchronousQueue to 0.73-0.83x and 4P4C did not
     *   gain (docs/BENCHMARKS.md, seventh pass): on 2 cores the yield lets the partner run.
     */
    private static final VarHandle SELECTED;
    private static final int ITEM_SPINS = 64;      // awaitItem: the partner is a few instructions away

    static {
        try {
            SELECTED = MethodHandles.lookup().findVarHandle(Context.class, "selected", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread thread;                           // the waiter; null for a callback wait
    private final Runnable onSelected;             // a callback wait's continuation, else null
    private volatile Object selected;              // I1
    private volatile boolean sleeping;             // I2

    /** A context for a wait by the current thread. */
    public Context() {
        this(Thread.currentThread(), null);
    }

    /** For Operation: a wait by {@code thread}, or no wait at all (both null). */
    Context(Thread thread, Runnable onSelected) {
        this.thread = thread;
        this.onSelected = onSelected;
    }

    /** Tries to end the wait with {@code selection}; true if this call did (keeps I1). */
    public boolean trySelect(Object selection) {
        return SELECTED.compareAndSet(this, null, selection);
    }

    /** The selection, or null while waiting. */
    public Object selected() {
        return selected;
    }

    /**
     * Wakes the waiter if it may be parked, or runs a callback wait's continuation; called by
     * whoever won {@link #trySelect} (I2).
     */
    public void unpark() {
        if (onSelected != null) onSelected.run();
        else if (sleeping) LockSupport.unpark(thread);
    }

    /**
     * Waits until selected or {@code deadlineNanos}; returns the selection. A timeout or
     * interrupt selects {@link Selected#TIMED_OUT} or {@link Selected#INTERRUPTED} unless a
     * partner selected the context first, in which case the partner's selection is returned
     * (and an interrupt is left pending on the thread). {@code blocker} is the park blocker
     * thread dumps show: the channel, or the select, the thread waits for. A platform thread
     * spins before parking; a virtual thread only if {@code spinVirtual} (a rendezvous: see the
     * notes and ZeroFlavor's).
     */
    public Object await(Object blocker, long deadlineNanos, boolean interruptible, boolean spinVirtual) {
        Object s = spin(spinVirtual);
        if (s != null) return s;
        sleeping = true;                                              // before the re-check: I2
        boolean interrupted = false;                                  // to restore on the way out
        while ((s = selected) == null) {
            if (Thread.interrupted()) {
                interrupted = true;
                if (interruptible && trySelect(Selected.INTERRUPTED)) interrupted = false;
                continue;
            }
            if (deadlineNanos == Deadline.NONE) {
                LockSupport.park(blocker);
            } else {
                long left = Deadline.remaining(deadlineNanos);
                if (left <= 0) trySelect(Selected.TIMED_OUT);        // or a partner won: use theirs
                else LockSupport.parkNanos(blocker, left);
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return s;
    }

    /**
     * After a rendezvous partner selected this wait with the receive {@code op}: waits for the
     * message it writes next, a few instructions later (ZeroFlavor's notes). Only the waiter
     * needs this, and only if it saw the selection before the partner's wake-up: a spin of CPU
     * hints, then a park on {@code blocker} that the partner's {@link #unpark} (after its write) ends; the same
     * Dekker pairing as I2, on item instead of selected. Not interruptible (the message is
     * committed): an interrupt is restored on the way out. A callback wait never gets here:
     * its continuation runs from unpark, after the write.
     */
    Object awaitItem(Operation op, Object blocker) {
        Object m;
        for (int i = 0; i < ITEM_SPINS; i++) {
            if ((m = op.item) != null) return m;
            Thread.onSpinWait();
        }
        sleeping = true;                                              // before the re-check
        boolean interrupted = false;
        while ((m = op.item) == null) {
            LockSupport.park(blocker);
            if (Thread.interrupted()) interrupted = true;
        }
        if (interrupted) Thread.currentThread().interrupt();
        return m;
    }

    /**
     * The spin phase: a platform thread backs off briefly (SpinWait), since a partner usually
     * arrives within microseconds and a park/unpark costs more; a virtual thread spins with CPU
     * hints only, and only if {@code spinVirtual} (a yield would requeue it on its carrier).
     */
    private Object spin(boolean spinVirtual) {
        Object s = selected;
        boolean virtual = thread.isVirtual();
        if (virtual && !spinVirtual) return s;
        SpinWait spin = new SpinWait();
        while (s == null && (virtual ? spin.spinNoYield() : spin.spin())) s = selected;
        return s;
    }
}
