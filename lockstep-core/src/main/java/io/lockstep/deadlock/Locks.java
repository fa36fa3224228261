package io.lockstep.deadlock;

import io.lockstep.internal.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Deadlock avoidance for code that needs several locks at once.
 *
 * <p>{@link #lockAll} takes them in one global order, whatever order they are passed in, so two
 * threads locking the same set can never wait for each other in a cycle:
 * <pre>{@code
 * void transfer(Account from, Account to, long amount) {
 *     try (MultiLockGuard g = Locks.lockAll(from.lock, to.lock)) {   // same order as transfer(to, from)
 *         from.balance -= amount;
 *         to.balance += amount;
 *     }
 * }
 * }</pre>
 * {@link #tryLockAll} takes them all or none, backing off instead of holding some while waiting
 * for the rest, for locks that cannot be ordered (they come from different subsystems, or some
 * are already held).
 *
 * <p>Works over any {@link Lock}. The same lock twice in one call is rejected.
 */
public final class Locks {
    /*
     * Implementation notes.
     *
     * Global order: by System.identityHashCode, which is stable for an object's life; two distinct
     * locks with the same identity hash are ordered by a tie number, handed out once per lock under
     * TIE (the "tie-breaking lock" of Goetz et al., Java Concurrency in Practice 10.1.2, made
     * lasting: a WeakHashMap keyed by the lock (locks do not override equals), so the order is also stable across calls).
     *
     * tryLockAll: Hinnant's "smart and polite" algorithm for std::lock (libc++): wait (timed) only
     * for the lock that failed last time, then try the rest without waiting; on failure release
     * everything, yield, and start with the lock that failed. Never holds a lock while waiting for
     * another, so it cannot deadlock, and waiting on the contended lock avoids busy retry.
     * Bounded politeness: the yield between rounds is for the first YIELD_ROUNDS failed rounds
     * only. Two callers taking the same locks in opposite orders can keep failing in lock-step
     * (each wins its first lock at once, then finds the other's held); past YIELD_ROUNDS each
     * failed round parks for a random time below a cap that doubles up to MAX_BACKOFF_NANOS
     * (and never past the deadline), which breaks the symmetry instead of yielding without end
     * (under oversubscription a yield may hand the core straight back).
     * Tried and rejected: randomised exponential back-off from the first round (slower to
     * converge under contention in Hinnant's measurements); unbounded yielding (the rule: no
     * unbounded spin or yield).
     */
    private static final int YIELD_ROUNDS = 4;
    private static final long MIN_BACKOFF_NANOS = 1_000, MAX_BACKOFF_NANOS = 1_000_000;
    private static final ReentrantLock TIE = new ReentrantLock();
    private static final WeakHashMap<Object, Long> TIES = new WeakHashMap<>();   // guarded by TIE
    private static long nextTie;                                                   // guarded by TIE

    private Locks() {}

    /**
     * Locks every lock, uninterruptibly, in the global order; returns one guard for them all.
     *
     * @throws IllegalArgumentException if a lock is passed twice
     * @throws NullPointerException if {@code locks} or one of them is null
     */
    public static MultiLockGuard lockAll(Lock... locks) {
        List<Lock> ordered = inGlobalOrder(locks);
        int taken = 0;
        try {
            for (Lock l : ordered) {
                l.lock();
                taken++;
            }
        } catch (RuntimeException | Error e) {                 // e.g. a PotentialDeadlockException
            unlockAll(ordered, taken);
            throw e;
        }
        return new MultiLockGuard(ordered);
    }

    /** As {@link #lockAll}, interruptibly: on interrupt, the locks taken so far are released. */
    public static MultiLockGuard lockAllInterruptibly(Lock... locks) throws InterruptedException {
        List<Lock> ordered = inGlobalOrder(locks);
        int taken = 0;
        try {
            for (Lock l : ordered) {
                l.lockInterruptibly();
                taken++;
            }
        } catch (InterruptedException | RuntimeException | Error e) {
            unlockAll(ordered, taken);
            throw e;
        }
        return new MultiLockGuard(ordered);
    }

    /**
     * Takes every lock or none within {@code timeout}, never waiting for one while holding another.
     * The guard's locks are in the order given.
     *
     * @return the guard, or empty if the locks could not all be had in time (none is then held)
     * @throws InterruptedException if interrupted while waiting (none is then held)
     */
    public static Optional<MultiLockGuard> tryLockAll(Duration timeout, Lock... locks) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        List<Lock> given = checked(locks);
        int n = given.size(), first = 0, failedRounds = 0;
        for (;;) {
            if (!given.get(first).tryLock(Math.max(0, Deadline.remaining(deadline)), TimeUnit.NANOSECONDS)) {
                return Optional.empty();
            }
            int failed = -1;
            for (int k = 1; k < n && failed < 0; k++) {
                int i = (first + k) % n;
                if (!given.get(i).tryLock()) failed = i;
            }
            if (failed < 0) return Optional.of(new MultiLockGuard(given));
            // Release what this round took: first .. failed-1, cyclically.
            for (int i = first; i != failed; i = (i + 1) % n) given.get(i).unlock();
            if (Deadline.expired(deadline)) return Optional.empty();
            first = failed;                                    // wait for the contended one next
            backOff(++failedRounds, deadline);
        }
    }

    /** Between failed rounds of tryLockAll: a few yields, then short random parks (bounded). */
    private static void backOff(int failedRounds, long deadline) {
        if (failedRounds <= YIELD_ROUNDS) {
            Thread.yield();
            return;
        }
        long cap = MIN_BACKOFF_NANOS << Math.min(failedRounds - YIELD_ROUNDS, 10);
        long nanos = ThreadLocalRandom.current().nextLong(Math.min(cap, MAX_BACKOFF_NANOS)) + 1;
        LockSupport.parkNanos(Math.min(nanos, Math.max(1, Deadline.remaining(deadline))));
    }

    static void unlockAll(List<Lock> locks, int count) {
        Throwable failure = null;
        for (int i = count - 1; i >= 0; i--) {
            try {
                locks.get(i).unlock();
            } catch (RuntimeException | Error e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error err) throw err;
    }

    private static List<Lock> checked(Lock[] locks) {
        Objects.requireNonNull(locks, "locks");
        IdentityHashMap<Lock, Boolean> seen = new IdentityHashMap<>();
        for (Lock l : locks) {
            Objects.requireNonNull(l, "a lock is null");
            if (seen.put(l, true) != null) throw new IllegalArgumentException("the same lock is passed twice: " + l);
        }
        return Arrays.asList(locks.clone());
    }

    /** The locks sorted into the global order (identity hash, then tie number). */
    static List<Lock> inGlobalOrder(Lock... locks) {
        List<Lock> ordered = new ArrayList<>(checked(locks));
        ordered.sort(Comparator.comparingInt(System::identityHashCode));
        for (int i = 1; i < ordered.size(); i++) {
            if (System.identityHashCode(ordered.get(i)) == System.identityHashCode(ordered.get(i - 1))) {
                ordered.sort(Comparator.comparingInt((Lock l) -> System.identityHashCode(l)).thenComparingLong(Locks::tie));
                break;
            }
        }
        return Collections.unmodifiableList(ordered);
    }

    /** The lasting tie number of a lock whose identity hash collides with another's. */
    private static long tie(Object lock) {
        TIE.lock();
        try {
            return TIES.computeIfAbsent(lock, k -> nextTie++);   // locks keep Object's identity equals
        } finally {
            TIE.unlock();
        }
    }
}
