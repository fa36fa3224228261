package io.lockstep.deadlock;

import io.lockstep.internal.LockTracking;

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
     * cache makes an already-validated nest cost a few loads instead of a global lock.
     *
     * Invariant: the held list is maintained whatever the policy (OFF skips only validation), so
     * switching validation on mid-run sees the truth.
     * Cost when on: one ThreadLocal lookup per lock and per unlock, plus for each lock held at an
     * acquisition one cache probe; the graph lock is taken only for an edge this thread has not
     * seen in this epoch. The cache pins at most 512 locks per thread (strong references).
     */
    private static final ThreadLocal<HeldLocks> HELD = ThreadLocal.withInitial(HeldLocks::new);

    LockOrderValidator() {}

    @Override
    public void acquiring(Object lock, int mode) {
        if (LockOrder.policy == LockOrder.Policy.OFF) return;
        HeldLocks h = HELD.get();
        for (int i = 0; i < h.size; i++) check(h, h.locks[i], h.modes[i], lock, mode, true);
    }

    @Override
    public void acquired(Object lock, int mode) {
        HELD.get().push(lock, mode);
    }

    @Override
    public void tryAcquired(Object lock, int mode) {
        HeldLocks h = HELD.get();
        if (LockOrder.policy != LockOrder.Policy.OFF) {
            for (int i = 0; i < h.size; i++) {
                if (h.locks[i] != lock) check(h, h.locks[i], h.modes[i], lock, mode, false);
            }
        }
        h.push(lock, mode);
    }

    @Override
    public void released(Object lock) {
        HELD.get().remove(lock);
    }

    private static void check(HeldLocks h, Object held, int heldMode, Object lock, int mode, boolean blocking) {
        LockGraph graph = LockOrder.GRAPH;
        long epoch = graph.epoch;
        int bit = LockGraph.bit(heldMode, mode) << (blocking ? 0 : 4);
        if (h.cached(held, lock, bit, epoch)) return;
        if (held == lock) {
            if (heldMode == LockTracking.SHARED && mode == LockTracking.SHARED) return;   // two reads
            LockOrder.report(LockOrder.selfDeadlock(graph.label(lock)), true);
            return;
        }
        LockGraph.Violation v = graph.add(held, heldMode, lock, mode, blocking);
        if (v != null) {
            LockOrder.report(v.exception(), v.first());
            return;                                           // WARN: not cached, not recorded
        }
        h.cache(held, lock, bit, epoch);
    }
}
