package io.lockstep.deadlock;

import io.lockstep.internal.LockTracking;
import io.lockstep.internal.jfr.Jfr;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Lock-order validation for Lockstep's mutexes and read-write locks (RawMutex, ReentrantMutex,
 * RawRwLock, the spin locks and the Mutex and RwLock over them), as Linux's lockdep does for the kernel: each
 * acquisition is checked against a global acquired-before graph, and the first one that would
 * close a cycle raises (or logs) a {@link PotentialDeadlockException} carrying the stacks of both
 * conflicting acquisitions, even when the run itself did not deadlock.
 *
 * <p>Off by default, and then free: switch it on for tests with {@code -Dlockstep.lockorder=throw}
 * (or {@code warn}), or call {@link #setPolicy} before the first Lockstep lock is used:
 * <pre>{@code
 * // in main(), or a test's static initializer, before any lock is used
 * LockOrder.setPolicy(LockOrder.Policy.THROW);
 * LockOrder.name(accounts, "accounts");             // optional: labels in reports
 *
 * accounts.lock(); ledger.lock();  ...  ledger.unlock(); accounts.unlock();   // accounts -> ledger
 * ledger.lock();
 * accounts.lock();        // PotentialDeadlockException: ledger -> accounts -> ledger
 * }</pre>
 * Once a lock has been used with tracking off, it stays compiled out for the life of the JVM
 * ({@code setPolicy(THROW)} then throws {@link IllegalStateException}); while it is compiled in,
 * the policy may change at any time.
 *
 * <p>Rules: an edge A&nbsp;&rarr;&nbsp;B is recorded when a thread acquires B while holding A. A
 * blocking acquisition ({@code lock}, {@code lockInterruptibly}) is checked first and, under
 * {@link Policy#THROW}, refused <em>before</em> it takes or waits for the lock. A successful
 * {@code tryLock} (timed or not) records its edges but is never refused, and cycles through such
 * edges are not reported: a try backs off rather than waits, so it cannot complete a deadlock.
 * Locks taken in {@link LockTracking#SHARED} mode (read locks) never conflict with each other.
 * A reentrant lock's inner holds are not new acquisitions. Locking a non-reentrant lock the
 * thread already holds is reported as a (certain) self-deadlock.
 */
public final class LockOrder {
    /*
     * Implementation notes. The switch and its trade-off are in LockTracking; the graph and its
     * search in LockGraph; the per-thread side in LockOrderValidator. This class is the API and
     * holds the policy, read on every tracked acquisition (a volatile read, only when compiled in).
     */

    /** What to do on a potential deadlock. */
    public enum Policy {
        /** Throw {@link PotentialDeadlockException} from the acquisition, which does not happen. */
        THROW,
        /** Report it once to the {@link #onViolation handler} (by default a warning log) and go on. */
        WARN,
        /** Validate nothing (held locks are still tracked if compiled in). */
        OFF
    }

    static final LockGraph GRAPH = new LockGraph();
    static volatile Policy policy = initialPolicy();
    private static volatile Consumer<? super PotentialDeadlockException> handler = LockOrder::log;

    private LockOrder() {}

    private static Policy initialPolicy() {
        String p = LockTracking.Switch.parse(System.getProperty(LockTracking.Switch.PROPERTY));
        return p == null || p.equals("off") ? Policy.OFF : Policy.valueOf(p.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * Sets the policy. {@code THROW} or {@code WARN} also compiles tracking in, if no Lockstep lock
     * has been used yet.
     *
     * @throws IllegalStateException if {@code policy} is not OFF and tracking was compiled out
     *     ({@code -Dlockstep.lockorder=off}, or a lock was used before this call)
     */
    public static void setPolicy(Policy policy) {
        Objects.requireNonNull(policy, "policy");
        if (policy != Policy.OFF) LockTracking.Switch.request();
        LockOrder.policy = policy;
    }

    /** The current policy. */
    public static Policy policy() {
        return policy;
    }

    /** Whether the hooks are compiled in (decides it, if no lock has been used yet). */
    public static boolean isTracking() {
        return LockTracking.ENABLED;
    }

    /** Handles potential deadlocks under {@link Policy#WARN}; the default logs a warning. */
    public static void onViolation(Consumer<? super PotentialDeadlockException> handler) {
        LockOrder.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Labels {@code lock} in lock-order reports; the default is the lock's name (see each
     * lock's {@code named(String)}), else its class and identity hash.
     */
    public static void name(Object lock, String name) {
        Objects.requireNonNull(lock, "lock");
        GRAPH.name(lock, Objects.requireNonNull(name, "name"));
    }

    /** Whether the graph records a chain of acquisitions from {@code a} to {@code b}. */
    public static boolean isOrderedBefore(Object a, Object b) {
        return GRAPH.orderedBefore(Objects.requireNonNull(a, "a"), Objects.requireNonNull(b, "b"));
    }

    /** Forgets every recorded order (for tests that reuse locks in new orders). */
    public static void reset() {
        GRAPH.clear();
    }

    static PotentialDeadlockException selfDeadlock(String label) {
        var cause = new Throwable(label + " is already held by this thread");
        cause.setStackTrace(new StackTraceElement[0]);
        var ex = new PotentialDeadlockException("Deadlock: acquiring " + label
                + ", which this thread already holds and which is not reentrant", List.of(label, label), cause);
        ex.setStackTrace(Frames.trim(ex.getStackTrace()));
        return ex;
    }

    static void report(PotentialDeadlockException e, boolean first) {
        if (policy != Policy.OFF) Jfr.lockOrderViolation(String.join(" -> ", e.cycle()), e.getMessage());
        switch (policy) {
            case THROW -> throw e;
            case WARN -> {
                if (first) handler.accept(e);
            }
            case OFF -> { }
        }
    }

    private static void log(PotentialDeadlockException e) {
        System.getLogger(LockOrder.class.getName()).log(System.Logger.Level.WARNING, e.getMessage(), e);
    }
}
