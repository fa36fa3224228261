package io.lockstep.deadlock;

import io.lockstep.internal.GuardedBy;
import io.lockstep.internal.LockTracking;
import io.lockstep.internal.Names;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The global acquired-before graph: a node per lock (held weakly), an edge {@code A -> B} when
 * some thread acquired B while holding A, with the stack of the first such acquisition.
 */
final class LockGraph {
    /*
     * Implementation notes.
     *
     * Edges carry mode bits: bit (held * 2 + acquired) for each pair of modes seen (EXCLUSIVE 0,
     * SHARED 1), separately for blocking acquisitions and for successful tryLocks. A cycle is a
     * potential deadlock only if, at every lock on it, the thread holding it and the thread
     * waiting for it conflict (not both SHARED), and only through blocking edges: a tryLock backs
     * off instead of waiting, so a cycle through it cannot deadlock (tryLock edges are kept, for
     * isOrderedBefore and for the report, but never followed).
     *
     * Search: BFS over states (lock, mode it was acquired in) from the lock being acquired back
     * to the held lock; each step must leave a lock in a mode that conflicts with how it was
     * entered. A found path plus the new edge is the cycle; each path edge's stack is reported.
     *
     * Locks die: nodes hold them weakly, and a search drops edges to nodes whose lock is gone (a
     * lock that cannot be acquired again cannot close a cycle). Nodes are keyed by identity in a
     * WeakHashMap (no Lockstep lock overrides equals), all under one JUC lock: the graph is touched
     * only the first time each thread meets each held-lock chain (HeldLocks caches), so it is not hot.
     * Tried and rejected: a ConcurrentHashMap per node, as Guava's CycleDetectingLockFactory has:
     * it keeps the common case lock-free, but the per-thread edge cache already does, and one lock
     * keeps cycle checks and edge insertion atomic (two threads cannot add the two halves of one
     * cycle at once).
     */

    static final class Node {
        final WeakReference<Object> lock;
        volatile String label;
        @GuardedBy("guard") final Map<Node, Edge> out = new HashMap<>();
        @GuardedBy("guard") final Map<Node, Integer> reported = new HashMap<>();   // violations seen, by bit

        Node(Object lock, String label) {
            this.lock = new WeakReference<>(lock);
            this.label = label;
        }

        boolean alive() {
            return lock.get() != null;
        }
    }

    static final class Edge {
        int blockingBits;                                     // guarded by guard
        int tryBits;                                          // guarded by guard
        final Throwable where;                                // stack of the first acquisition
        final String thread;

        Edge(Throwable where) {
            this.where = where;
            this.thread = Thread.currentThread().getName();
        }
    }

    private final ReentrantLock guard = new ReentrantLock();
    @GuardedBy("guard") private final WeakHashMap<Object, Node> nodes = new WeakHashMap<>();
    /** Changes on reset; per-thread caches are valid for one epoch. */
    volatile long epoch;

    static int bit(int heldMode, int mode) {
        return 1 << (heldMode * 2 + mode);
    }

    private static boolean conflict(int a, int b) {
        return a == LockTracking.EXCLUSIVE || b == LockTracking.EXCLUSIVE;
    }

    /**
     * Records {@code from -> to}. For a blocking acquisition that would close a cycle, records
     * nothing and returns the violation (first time only: {@code reportedBefore} says which).
     */
    Violation add(Object from, int heldMode, Object to, int mode, boolean blocking) {
        guard.lock();
        try {
            Node f = node(from), t = node(to);
            int bit = bit(heldMode, mode);
            Edge e = f.out.get(t);
            if (e != null && ((blocking ? e.blockingBits : e.tryBits) & bit) != 0) return null;
            if (blocking) {
                List<Node> path = findPath(t, mode, f, heldMode);
                if (path != null) {
                    int before = f.reported.getOrDefault(t, 0);
                    f.reported.put(t, before | bit);
                    boolean first = (before & bit) == 0;
                    return new Violation(violation(f, t, path), first);
                }
            }
            if (e == null) f.out.put(t, e = new Edge(new Throwable()));
            if (blocking) e.blockingBits |= bit;
            else e.tryBits |= bit;
            return null;
        } finally {
            guard.unlock();
        }
    }

    /** A violation and whether it is the first report of this edge. */
    record Violation(PotentialDeadlockException exception, boolean first) {}

    /** A step of the search: a lock, the mode it was entered in, and where from. */
    private record State(Node node, int entered, State parent) {}

    /** BFS from (start, enteredMode) to (goal, a mode conflicting with goalHeldMode); null if none. */
    private static List<Node> findPath(Node start, int enteredMode, Node goal, int goalHeldMode) {
        List<Set<Node>> seen = List.of(new HashSet<>(), new HashSet<>());   // by entered mode
        ArrayDeque<State> queue = new ArrayDeque<>();
        seen.get(enteredMode).add(start);
        queue.add(new State(start, enteredMode, null));
        while (!queue.isEmpty()) {
            State s = queue.poll();
            if (s.node == goal && conflict(s.entered, goalHeldMode)) return nodesOf(s);
            for (Iterator<Map.Entry<Node, Edge>> it = s.node.out.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Node, Edge> entry = it.next();
                Node next = entry.getKey();
                if (!next.alive()) {
                    it.remove();                               // a dead lock closes no cycle
                    continue;
                }
                int bits = entry.getValue().blockingBits;      // tryLock edges cannot deadlock
                for (int held = 0; held < 2; held++) {
                    if (!conflict(s.entered, held)) continue;  // two shared holds pass each other
                    for (int acq = 0; acq < 2; acq++) {
                        if ((bits & bit(held, acq)) != 0 && seen.get(acq).add(next)) queue.add(new State(next, acq, s));
                    }
                }
            }
        }
        return null;
    }

    private static List<Node> nodesOf(State end) {
        ArrayList<Node> path = new ArrayList<>();
        for (State s = end; s != null; s = s.parent) path.add(s.node);
        Collections.reverse(path);
        return path;
    }

    private static PotentialDeadlockException violation(Node held, Node acquiring, List<Node> path) {
        List<String> cycle = new ArrayList<>();
        cycle.add(held.label);
        for (Node n : path) cycle.add(n.label);
        Throwable first = null, last = null;
        for (int i = 0; i + 1 < path.size(); i++) {
            Node a = path.get(i), b = path.get(i + 1);
            Edge e = a.out.get(b);
            Throwable site = new Throwable(b.label + " acquired while holding " + a.label + " (thread " + e.thread + ")");
            site.setStackTrace(Frames.trim(e.where.getStackTrace()));
            if (first == null) first = site;
            else last.initCause(site);
            last = site;
        }
        var ex = new PotentialDeadlockException("Potential deadlock: acquiring " + acquiring.label + " while holding "
                + held.label + ", but the opposite order was recorded before: " + String.join(" -> ", cycle), cycle, first);
        ex.setStackTrace(Frames.trim(ex.getStackTrace()));
        return ex;
    }

    /** The node of {@code lock}, created on first sight. */
    @GuardedBy("guard")
    private Node node(Object lock) {
        return nodes.computeIfAbsent(lock, l -> new Node(l, defaultLabel(l)));
    }

    /** {@code RawMutex "orders"} for a named lock, {@code RawMutex@1b6d3586} otherwise (Names.describe). */
    static String defaultLabel(Object lock) {
        return Names.describe(lock);
    }

    void name(Object lock, String label) {
        guard.lock();
        try {
            node(lock).label = label;
        } finally {
            guard.unlock();
        }
    }

    String label(Object lock) {
        guard.lock();
        try {
            Node n = nodes.get(lock);
            return n == null ? defaultLabel(lock) : n.label;
        } finally {
            guard.unlock();
        }
    }

    /** Whether some chain of recorded edges (blocking or try) leads from {@code a} to {@code b}. */
    boolean orderedBefore(Object a, Object b) {
        guard.lock();
        try {
            Node from = nodes.get(a), to = nodes.get(b);
            if (from == null || to == null) return false;
            Set<Node> seen = new HashSet<>();
            ArrayDeque<Node> queue = new ArrayDeque<>(List.of(from));
            while (!queue.isEmpty()) {
                for (Node next : queue.poll().out.keySet()) {
                    if (next == to) return true;
                    if (seen.add(next)) queue.add(next);
                }
            }
            return false;
        } finally {
            guard.unlock();
        }
    }

    void clear() {
        guard.lock();
        try {
            nodes.clear();
            epoch++;
        } finally {
            guard.unlock();
        }
    }
}
