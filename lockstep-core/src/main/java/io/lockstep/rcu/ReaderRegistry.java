package io.lockstep.rcu;

import io.lockstep.internal.GuardedBy;
import io.lockstep.lock.RawMutex;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The grace-period domain of one {@link Rcu} or {@link QsbrRcu}: the global epoch, every reader
 * thread's {@link ReaderSlot}, and the grace-period wait.
 */
final class ReaderRegistry {
    /*
     * Implementation notes.
     *
     * Based on: HotSpot's GlobalCounter (one global counter bumped by each grace period, one
     * per-thread counter that copies it with a fence on entering a read section) and liburcu's
     * registry of reader threads. Differences from GlobalCounter: a waiter parks on the slot
     * (ReaderSlot's PARKED bit) instead of yielding in a loop; nesting is a plain depth count;
     * a registry per domain instead of the VM's thread list, since Java threads are not ours to
     * enumerate (and virtual threads must get their own slots, not their carriers').
     *
     * State: `epoch`, a multiple of EPOCH_STEP that only grows; `head`, a Treiber-style list of
     * slots: new slots are pushed by CAS, slots are unlinked only by the grace-period scan.
     * Invariants:
     *   I1  Only the thread holding gpLock unlinks slots, and never the head slot, so a push (a
     *       CAS on head) and an unlink (a store to an interior next) never touch the same word.
     *   I2  A grace period waits for every slot reachable from `head` when its scan starts,
     *       which is after its bump. A slot pushed later announces an epoch read after its push,
     *       hence at least the bumped one: its reader is not one the grace period must wait for.
     * Memory ordering: the bump is a getAndAdd (volatile): the publication of a new version before
     *   it, and the loads of slot counters after it, are ordered as ReaderSlot explains.
     * Progress: registration is lock-free (a CAS loop); a grace period serializes on gpLock (a
     *   RawMutex, parked in the ParkingLot) and waits for each reader in turn.
     * Tried and rejected: liburcu's two-phase flip of a parity bit. Copying the whole counter,
     *   as GlobalCounter does, needs one scan per grace period instead of two, because a reader
     *   that copied an old epoch is still recognised as old.
     */
    private static final VarHandle EPOCH, HEAD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            EPOCH = l.findVarHandle(ReaderRegistry.class, "epoch", long.class);
            HEAD = l.findVarHandle(ReaderRegistry.class, "head", ReaderSlot.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long epoch = ReaderSlot.EPOCH_STEP;
    private volatile ReaderSlot head;                            // pushed by CAS; see I1
    private final ThreadLocal<ReaderSlot> slots = new ThreadLocal<>();
    private final RawMutex gpLock = new RawMutex();

    /** The current epoch, as readers announce it. */
    long epoch() {
        return epoch;
    }

    /** The calling thread's slot, or null if it has none. */
    ReaderSlot slotOrNull() {
        return slots.get();
    }

    /** The calling thread's slot, registering one on its first call. */
    ReaderSlot slot() {
        ReaderSlot slot = slots.get();
        return slot != null ? slot : register();
    }

    /** Gives the calling thread a fresh slot. */
    ReaderSlot register() {
        ReaderSlot slot = new ReaderSlot(Thread.currentThread());
        for (ReaderSlot h = head; ; h = head) {
            slot.next = h;
            if (HEAD.compareAndSet(this, h, slot)) break;
        }
        slots.set(slot);
        return slot;
    }

    /** Forgets the calling thread's slot; the next grace period unlinks it. */
    void unregister(ReaderSlot slot) {
        slot.retired = true;
        slots.remove();
    }

    /**
     * Waits one grace period: until every read section (or, for QSBR, every online reader that
     * has not passed a quiescent state) that began before this call has ended.
     */
    void awaitGracePeriod() {
        gpLock.lock();
        try {
            long target = (long) EPOCH.getAndAdd(this, ReaderSlot.EPOCH_STEP) + ReaderSlot.EPOCH_STEP;
            scan(target);
        } finally {
            gpLock.unlock();
        }
    }

    @GuardedBy("gpLock")
    private void scan(long target) {
        ReaderSlot prev = null;
        for (ReaderSlot s = firstSlot(); s != null; s = s.next) {
            if (prev != null && s.abandoned()) {
                prev.next = s.next;                              // keeps I1: never the head
                continue;
            }
            s.awaitEpoch(target);
            prev = s;
        }
    }

    /** The most recently registered slot; follow {@code next} for the rest (scans and tests). */
    ReaderSlot firstSlot() {
        return head;
    }
}
