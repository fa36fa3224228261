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
     *   (as the JDK's SynchronousQueue and LinkedTransferQueue do): the partner that unparks it
     *   runs on a carrier, which queues the woken thread locally and picks it up as soon as the
     *   partner itself waits, a hand-off without waking another carrier; spinning or yielding
     *   instead holds a carrier (of two, in the benchmarks) or bounces through the scheduler.
     *   ChannelBench, 2 cores: rendezvous 1P1C on virtual threads ~950 -> ~300 ns per message.
     *   Tried again for the lock-free rendezvous (issue 14): 128 onSpinWait on a virtual thread
     *   made ChannelBench rendezvous several times slower (1P1C ~1.2 -> ~7.9 us, one noisy run):
     *   the woken partner is queued on the waker's own carrier, so the spin only delays it. The
     *   JDK's LinkedTransferQueue spins only when the carrier has no queued work, which it can
     *   ask ForkJoinWorkerThread and we cannot.
     *   Tried once more (issue 14, 2 loaded cores, ChannelBench rendezvous 1P1C virtual, base
     *   ~0.9-1.6 us): 1, 2, 4 or 8 Thread.yield()s before parking (a yield puts the waiter
     *   behind a partner queued on its carrier), 128 onSpinWait, 128 onSpinWait then a yield:
     *   all within the noise (0.9-1.3 us), SynchronousQueue at ~0.12 us in the same runs. The
     *   profile of that shape is the scheduler (ForkJoinPool.deactivate ~24% self, signalWork,
     *   WorkQueue.push; channel code under 10%), so the remaining gap is how often a side parks,
     *   not what a wait costs.
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
     * thread dumps show: the channel, or the select, the thread waits for.
     */
    public Object await(Object blocker, long deadlineNanos, boolean interruptible) {
        Object s = spin();
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
     * arrives within microseconds and a park/unpark costs more; a virtual thread does not spin.
     */
    private Object spin() {
        Object s = selected;
        if (thread.isVirtual()) return s;
        SpinWait spin = new SpinWait();
        while (s == null && spin.spin()) s = selected;
        return s;
    }
}
