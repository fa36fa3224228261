package io.lockstep.deadlock;

import io.lockstep.internal.LockHolders;
import io.lockstep.internal.TrackedHolds;
import io.lockstep.internal.jfr.Jfr;
import io.lockstep.park.ParkingLot;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * Finds threads deadlocked on Lockstep locks, platform and virtual threads alike: what
 * {@code ThreadMXBean.findDeadlockedThreads()} does for monitors and JUC
 * locks, which sees neither Lockstep's locks nor virtual threads.
 *
 * <pre>{@code
 * List<Deadlock> found = DeadlockDetector.findDeadlocks();
 * found.forEach(d -> System.err.println(d.describe()));
 *
 * // or watch in the background, reporting each deadlock once:
 * try (DeadlockWatchdog dog = DeadlockDetector.watch(Duration.ofSeconds(5), d -> log.error(d.describe()))) {
 *     runServer();
 * }
 * }</pre>
 * Works whether or not {@link LockOrder} tracking is compiled in; costs nothing until called.
 */
public final class DeadlockDetector {
    /*
     * Implementation notes.
     *
     * The wait-for graph: ParkingLot.forEachParked gives every parked thread and the key it parks
     * on; keys that are locks (LockHolders knows their kinds) give the threads that hold them. A
     * thread waiting for a lock points at its holders; a cycle of such edges is a deadlock. Each
     * thread waits for one key but may point at several holders (read locks), so the search is a
     * general DFS (iterative: there may be many thousands of parked virtual threads), reporting one
     * cycle per back edge found.
     *
     * The snapshot is not atomic (one bucket at a time, and holders are racy reads), so a cycle may
     * be an illusion of threads that were moving. A real deadlock cannot move: every cycle is
     * confirmed by a second snapshot, and kept only if each thread still waits for the same lock
     * held by the same next thread. Stacks are taken after that.
     *
     * Guard-owned holds (RawMutex.lockAsync, Mutex.lockAsync): no thread owns the lock, so
     * LockHolders reports the guard's task by its last known thread (the one that asked for the
     * lock, or last used its MutexGuard). A thread blocked on such a lock thus points at the task,
     * and a task that then blocks on a thread-held lock closes the cycle. A task that waits
     * without a thread (an async request in the lock's line) is not a parked thread and is not an
     * edge: a cycle made only of async waits is not found.
     *
     * Locks the ParkingLot cannot show (a JUC lock under a Mutex, a Semaphore.tracked semaphore)
     * report their waiters and holders to TrackedHolds while lock-order tracking is compiled in;
     * their waiters join the graph beside the parked ones.
     *
     * Limits: only threads waiting for Lockstep locks (and, with tracking on, the locks above) are
     * seen; a thread waiting on a condition variable, a latch, an untracked semaphore or a bare
     * JUC lock is not a lock waiter (its "holder" is unknown), so cycles through them are not
     * found.
     */

    private DeadlockDetector() {}

    /** The deadlocks among threads parked on Lockstep locks right now (empty if none). */
    public static List<Deadlock> findDeadlocks() {
        Map<Thread, Object> waits = waits();
        List<List<Thread>> cycles = cycles(waits);
        if (cycles.isEmpty()) return List.of();
        Map<Thread, Object> again = waits();
        List<Deadlock> found = new ArrayList<>();
        for (List<Thread> cycle : cycles) {
            if (stable(cycle, waits, again)) found.add(describe(cycle, waits));
        }
        for (Deadlock d : found) Jfr.deadlockFound(d.waiters().size(), locks(d), d.describe());
        return found;
    }

    /**
     * Starts a daemon thread that looks for deadlocks every {@code period} and passes each new
     * one to {@code onDeadlock}, once for as long as it lasts; close the watchdog to stop it.
     *
     * @throws IllegalArgumentException if {@code period} is not positive
     */
    public static DeadlockWatchdog watch(Duration period, Consumer<? super Deadlock> onDeadlock) {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(onDeadlock, "onDeadlock");
        if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("period must be positive: " + period);
        return new DeadlockWatchdog(period, onDeadlock);
    }

    /** Which lock each parked lock-waiter waits for. */
    private static Map<Thread, Object> waits() {
        Map<Thread, Object> waits = new HashMap<>();
        ParkingLot.forEachParked((thread, key) -> {
            if (LockHolders.isLock(key)) waits.put(thread, key);
        });
        TrackedHolds.forEachWaiting(waits::put);               // JUC locks under a Mutex, tracked semaphores
        return waits;
    }

    private static List<Thread> holders(Object lock) {
        List<Thread> holders = new ArrayList<>(1);
        LockHolders.forEachHolder(lock, holders::add);
        TrackedHolds.forEachHolder(lock, holders::add);
        return holders;
    }

    /** One cycle per back edge of an iterative DFS over the wait-for graph. */
    private static List<List<Thread>> cycles(Map<Thread, Object> waits) {
        List<List<Thread>> cycles = new ArrayList<>();
        Map<Thread, Integer> onPath = new IdentityHashMap<>();      // thread -> index on the DFS path
        Set<Thread> done = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Thread> starts = new ArrayList<>(waits.keySet());
        starts.sort(Comparator.comparingLong(Thread::threadId));    // deterministic reports
        for (Thread start : starts) {
            if (done.contains(start)) continue;
            List<Thread> path = new ArrayList<>();
            ArrayDeque<ArrayDeque<Thread>> next = new ArrayDeque<>();
            path.add(start);
            onPath.put(start, 0);
            next.push(new ArrayDeque<>(holders(waits.get(start))));
            while (!path.isEmpty()) {
                ArrayDeque<Thread> todo = next.peek();
                Thread h = todo.poll();
                if (h == null) {                                    // all successors explored
                    Thread t = path.remove(path.size() - 1);
                    onPath.remove(t);
                    done.add(t);
                    next.pop();
                    continue;
                }
                Integer at = onPath.get(h);
                if (at != null) {                                   // back edge: a cycle
                    cycles.add(new ArrayList<>(path.subList(at, path.size())));
                } else if (!done.contains(h) && waits.containsKey(h)) {   // h is itself a lock-waiter
                    onPath.put(h, path.size());
                    path.add(h);
                    next.push(new ArrayDeque<>(holders(waits.get(h))));
                }
            }
        }
        return cycles;
    }

    /** Whether every thread of {@code cycle} waits for the same lock, held by the next, in both snapshots. */
    private static boolean stable(List<Thread> cycle, Map<Thread, Object> first, Map<Thread, Object> second) {
        for (int i = 0; i < cycle.size(); i++) {
            Thread t = cycle.get(i), next = cycle.get((i + 1) % cycle.size());
            Object lock = first.get(t);
            if (second.get(t) != lock || !holders(lock).contains(next)) return false;
        }
        return true;
    }

    private static Deadlock describe(List<Thread> cycle, Map<Thread, Object> waits) {
        int min = 0;
        for (int i = 1; i < cycle.size(); i++) if (cycle.get(i).threadId() < cycle.get(min).threadId()) min = i;
        List<Deadlock.Waiter> waiters = new ArrayList<>();
        for (int k = 0; k < cycle.size(); k++) {
            Thread t = cycle.get((min + k) % cycle.size()), next = cycle.get((min + k + 1) % cycle.size());
            waiters.add(new Deadlock.Waiter(t, waits.get(t), next, Arrays.asList(t.getStackTrace())));
        }
        return new Deadlock(waiters);
    }

    /** The locks of the cycle as reports show them: {@code RawMutex "a" -> RawMutex "b"}. */
    private static String locks(Deadlock d) {
        StringJoiner j = new StringJoiner(" -> ");
        for (Deadlock.Waiter w : d.waiters()) j.add(LockOrder.GRAPH.label(w.lock()));
        return j.toString();
    }

    /** The identity of a deadlock, for reporting it once: its threads and the locks they wait for. */
    static Set<List<Object>> signature(Deadlock d) {
        Set<List<Object>> s = new HashSet<>();
        for (Deadlock.Waiter w : d.waiters()) s.add(List.of(w.thread(), new Identity(w.lock())));
        return s;
    }

    /** Identity equality for locks, whatever their equals. */
    private record Identity(Object o) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity i && i.o == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(o);
        }
    }
}
