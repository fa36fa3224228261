package io.lockstep.deadlock;

import io.lockstep.internal.LockTracking;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The {@link LockTracking.Tracker} behind {@link LockOrder}: keeps each thread's held locks and
 * feeds new acquired-before edges to the {@link LockGraph}. Loaded by {@link LockTracking} (by
 * name) only when tracking is compiled in.
 */
final class LockOrderValidator implements LockTracking.Tracker {
    /*
     * Implementation notes.
     *
     * Based on: Linux lockdep (validate every acquisition against an acquired-before graph, so a
     * deadlock that did not happen in this run is still found; read/write modes) and Guava's
     * CycleDetectingLockFactory (per-thread held list, first stack kept per edge, THROW/WARN).
     * Differences: instances rather than lockdep's lock classes (no annotations needed for
     * nesting two locks of one class); edges are validated before a blocking acquisition, so
     * THROW leaves the lock untaken; tryLock records edges but is never refused; a per-thread
     * chain cache (HeldLocks) makes an already-validated nest cost one table probe per acquisition
     * instead of one graph edge per held lock.
     *
     * Invariant: the held list is maintained whatever the policy (OFF skips only validation), so
     * switching validation on mid-run sees the truth.
     * Cost when on: one lookup of the thread's HeldLocks per hook (three per lock/unlock pair),
     * plus per acquisition one probe of the thread's chain cache, whatever the nesting depth
     * (lockdep's chain key); only a chain
     * this thread has not validated in this epoch walks the held locks and takes the graph lock,
     * once per held lock. The cache is bounded (HeldLocks: 1,024 entries per thread) and holds
     * locks weakly. Tried and replaced: a direct-mapped cache of single edges (depth^2/2 probes
     * per nest, and two edges colliding in a slot evicted each other forever, sending every
     * acquisition to the graph lock: the 2.5-7.9x spread LockOrderBench showed at depth 8).
     *
     * The lookup: BY_THREAD, a direct-mapped table indexed by thread id, is tried before the
     * ThreadLocal; a slot is a HeldLocks, which records its thread's id (final, so a racy read
     * sees it), and is used only by the thread with that id (ids are never reused), so a stale or
     * foreign slot only sends the lookup to HELD, which then takes the slot over. A hit is an array
     * load and a compare; ThreadLocal.get cost three times that in LockOrderBench's profile (the
     * map's probe and its WeakReference entry). Price: a slot keeps an exited thread's HeldLocks
     * (its chain table, which holds locks weakly) until another thread takes it, so at most SLOTS
     * of them; two live threads sharing a slot (ids 256 apart) both fall back to the ThreadLocal
     * and take the slot in turn, a shared write each time.
     *
     * Guard-owned holds (lockAsync: the guard, not a thread, owns the lock) are kept apart, in
     * GUARDS, with a supplier of the thread the task last ran on. Every acquisition also checks
     * the open guard holds whose holder is the acquiring thread (uncached: a task moves between
     * threads, so no per-thread chain describes it); with no guard open that is one isEmpty().
     * The async request itself is not validated (it waits for nothing; a task may ask for the
     * next lock before closing its guard): the order is recorded when the task takes a lock while
     * its guard is open.
     */
    private static final ThreadLocal<HeldLocks> HELD = ThreadLocal.withInitial(HeldLocks::new);
    private static final int SLOTS = 256;
    /** Each thread's HeldLocks at slot (thread id mod SLOTS), if no other thread took the slot since; plain, racy (see held). */
    private static final HeldLocks[] BY_THREAD = new HeldLocks[SLOTS];
    private static final ConcurrentHashMap<Object, GuardHold> GUARDS = new ConcurrentHashMap<>();

    /** An open guard-owned hold: its lock and mode, and the thread its task last ran on. */
    private record GuardHold(Object lock, int mode, Supplier<Thread> holder) {}

    LockOrderValidator() {}

    /** This thread's held locks: one array load and an id compare, HELD only when the slot is another thread's. */
    private static HeldLocks held() {
        long id = Thread.currentThread().threadId();
        HeldLocks h = BY_THREAD[(int) id & (SLOTS - 1)];
        return h != null && h.thread == id ? h : install(id);
    }

    private static HeldLocks install(long id) {
        HeldLocks h = HELD.get();
        BY_THREAD[(int) id & (SLOTS - 1)] = h;
        return h;
    }

    @Override
    public void acquiring(Object lock, int mode) {
        if (LockOrder.policy == LockOrder.Policy.OFF) return;
        HeldLocks h = held();
        if (h.size > 0 && !h.validated(lock, mode, HeldLocks.BLOCKING, LockOrder.GRAPH.epoch)) validate(h, lock, mode);
        if (!GUARDS.isEmpty()) checkGuardHolds(lock, mode, true);
    }

    /** The open guard holds of the acquiring thread's task, each against the graph (a guard holding {@code lock} itself: a self-deadlock if blocking). */
    private static void checkGuardHolds(Object lock, int mode, boolean blocking) {
        Thread me = Thread.currentThread();
        for (GuardHold g : GUARDS.values()) {
            if (g.holder().get() == me && (blocking || g.lock() != lock)) check(g.lock(), g.mode(), lock, mode, blocking);
        }
    }

    /** A chain this thread has not validated: every held lock against the graph. */
    private static void validate(HeldLocks h, Object lock, int mode) {
        boolean clean = true;
        for (int i = 0; i < h.size; i++) clean &= check(h.locks[i], h.modes[i], lock, mode, true);
        if (clean) h.markValidated(lock, mode, HeldLocks.BLOCKING);
    }

    @Override
    public void acquired(Object lock, int mode) {
        held().push(lock, mode);
    }

    @Override
    public void tryAcquired(Object lock, int mode) {
        HeldLocks h = held();
        if (LockOrder.policy != LockOrder.Policy.OFF && h.size > 0
                && !h.validated(lock, mode, HeldLocks.BLOCKING | HeldLocks.TRY, LockOrder.GRAPH.epoch)) {
            for (int i = 0; i < h.size; i++) {
                if (h.locks[i] != lock) check(h.locks[i], h.modes[i], lock, mode, false);
            }
            h.markValidated(lock, mode, HeldLocks.TRY);
        }
        if (LockOrder.policy != LockOrder.Policy.OFF && !GUARDS.isEmpty()) checkGuardHolds(lock, mode, false);
        h.push(lock, mode);
    }

    @Override
    public void released(Object lock) {
        held().remove(lock);
    }

    @Override
    public void guardAcquired(Object guard, Object lock, int mode, Supplier<Thread> holder) {
        GUARDS.put(guard, new GuardHold(lock, mode, holder));
    }

    @Override
    public void guardReleased(Object guard) {
        GUARDS.remove(guard);
    }

    /** Checks and records {@code held -> lock}; false if it is a violation (reported, not recorded). */
    private static boolean check(Object held, int heldMode, Object lock, int mode, boolean blocking) {
        LockGraph graph = LockOrder.GRAPH;
        if (held == lock) {
            if (heldMode == LockTracking.SHARED && mode == LockTracking.SHARED) return true;   // two reads
            LockOrder.report(LockOrder.selfDeadlock(graph.label(lock)), true);
            return false;
        }
        LockGraph.Violation v = graph.add(held, heldMode, lock, mode, blocking);
        if (v != null) {
            LockOrder.report(v.exception(), v.first());
            return false;                                     // WARN: not cached, not recorded
        }
        return true;
    }
}
