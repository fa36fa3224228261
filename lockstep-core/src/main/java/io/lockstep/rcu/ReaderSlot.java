package io.lockstep.rcu;

import io.lockstep.internal.Deadline;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.SpinWait;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;

/*
 * Padding by class hierarchy, as JCTools pads its queue indices: the JVM lays superclass fields
 * out before subclass fields, so the hot word (counter + depth, written only by the owning
 * thread) sits between two 128-byte pads and shares no cache line (nor an adjacent-line prefetch
 * pair) with another slot or with the cold links that grace-period scans read.
 */

/** The cold part of a slot: read by grace-period scans, written once or under the gp lock. */
abstract class ReaderSlotLinks {
    /** The thread that owns the slot; cleared by the GC once that thread is gone. */
    final WeakReference<Thread> owner;
    /** The registry's next slot; written before publication, then only by a pruner under the gp lock. */
    volatile ReaderSlot next;
    /** Set once when a QSBR reader unregisters; the next grace period unlinks the slot. */
    volatile boolean retired;

    ReaderSlotLinks(Thread owner) {
        this.owner = new WeakReference<>(owner);
    }
}

abstract class ReaderSlotPadBefore extends ReaderSlotLinks {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    ReaderSlotPadBefore(Thread owner) {
        super(owner);
    }
}

abstract class ReaderSlotHot extends ReaderSlotPadBefore {
    /** Encoded epoch and flags, see ReaderSlot; written by the owner, and CAS'd (PARKED) by waiters. */
    volatile long counter;
    /** Read-section nesting (Rcu) or 1 while online (QsbrRcu); owner-only, plain. */
    int depth;

    ReaderSlotHot(Thread owner) {
        super(owner);
    }
}

abstract class ReaderSlotPadAfter extends ReaderSlotHot {
    long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;

    ReaderSlotPadAfter(Thread owner) {
        super(owner);
    }
}

/**
 * One reader thread's announcement to grace periods: "I may hold references taken in epoch e".
 * The owner thread is the only writer of the epoch; waiters only add the PARKED bit.
 */
final class ReaderSlot extends ReaderSlotPadAfter {
    /*
     * Implementation notes.
     *
     * counter  (epoch bits 63..2)  PARKED  ACTIVE
     *            0                   0       0     outside any read section (Rcu) / offline (QSBR)
     *            e                   0       1     reading since epoch e (Rcu) / online, last
     *                                              quiescent in epoch e (QSBR)
     *            e                   1       1     as above, and a grace period is parked here
     *
     * Invariants:
     *   I1  Only the owner moves counter between values with different epochs or ACTIVE bits;
     *       a waiter only CASes an ACTIVE value v to v|PARKED.
     *   I2  The owner leaves an ACTIVE value by a release store if it does not see PARKED,
     *       else by getAndSet, unparking this slot's key if the value it replaced had PARKED. A
     *       waiter that set PARKED before the owner looked is woken (it either sees the change in
     *       its park's validate, run under the bucket lock, or is queued before the unpark looks).
     *       One that set it in the window between the owner's look and its store (the store may
     *       still sit in the owner's store buffer when validate reads) is not: so a waiter parks
     *       with a deadline, the first 20 us, doubling up to RECHECK_NANOS, and rechecks. The
     *       window is a few nanoseconds wide; the price is at most log2(section / 20 us) early
     *       wake-ups for a waiter behind a long section.
     *       Why not always getAndSet: it is a full fence, and the read section's entry already
     *       pays the one StoreLoad the algorithm needs; the exit needs only release ordering
     *       (the section's loads before the store that ends it).
     * Memory ordering: the owner's volatile store of e|ACTIVE is followed (program order) by its
     *   volatile load of the published version; the writer's volatile store of a new version is
     *   followed by its epoch increment and volatile load of this counter. Volatile accesses are
     *   totally ordered (Dekker): if the writer reads an inactive or newer slot, the reader's
     *   load sees the new version, so it cannot hold the old one.
     */
    static final long ACTIVE = 1, PARKED = 2, FLAGS = ACTIVE | PARKED;
    /** The distance between epochs: the flag bits stay clear in an epoch. */
    static final long EPOCH_STEP = 4;
    /** How often a parked waiter rechecks whether the owner thread has died inside a section. */
    private static final long RECHECK_NANOS = 1_000_000_000L;
    /** The first parked recheck (I2: the wake-up an exit can miss). */
    private static final long FIRST_RECHECK_NANOS = 20_000L;

    private static final VarHandle COUNTER;

    static {
        try {
            COUNTER = MethodHandles.lookup().findVarHandle(ReaderSlotHot.class, "counter", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    ReaderSlot(Thread owner) {
        super(owner);
    }

    /** Owner: announces epoch {@code epoch} (a full fence follows the store). */
    void announce(long epoch) {
        COUNTER.setVolatile(this, epoch | ACTIVE);
    }

    /**
     * Owner: replaces the announcement with {@code value} (a release store: no fence), waking a
     * parked waiter it sees (I2).
     */
    void withdraw(long value) {
        if (((long) COUNTER.getOpaque(this) & PARKED) == 0) {
            COUNTER.setRelease(this, value);
            return;
        }
        long old = (long) COUNTER.getAndSet(this, value);
        if ((old & PARKED) != 0) ParkingLot.unparkAll(this);
    }

    /** Owner: the current announcement. */
    long announced() {
        return (long) COUNTER.getVolatile(this);
    }

    /** Whether the owner has left (thread ended, or a QSBR reader unregistered). */
    boolean abandoned() {
        Thread t = owner.get();
        return retired || t == null || !t.isAlive();
    }

    /**
     * Waiter: returns once this slot no longer announces an epoch before {@code target} (its
     * owner left the section, or announced a newer epoch), or its owner is gone. Spins a bounded
     * number of times, then parks on this slot (keeps I1).
     */
    void awaitEpoch(long target) {
        SpinWait spin = new SpinWait();
        long recheck = FIRST_RECHECK_NANOS;
        for (;;) {
            long c = (long) COUNTER.getVolatile(this);
            if ((c & ACTIVE) == 0 || (c & ~FLAGS) - target >= 0 || abandoned()) return;
            if (spin.spin()) continue;
            long parked = c | PARKED;
            if (c != parked && !COUNTER.compareAndSet(this, c, parked)) continue;
            ParkingLot.park(this, () -> (long) COUNTER.getVolatile(this) == parked, null, null,
                    ParkingLot.DEFAULT_PARK_TOKEN, Deadline.afterNanos(recheck), false);
            recheck = Math.min(recheck * 2, RECHECK_NANOS);     // I2: a missed wake-up costs little
        }
    }
}
