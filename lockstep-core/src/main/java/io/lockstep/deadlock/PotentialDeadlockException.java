package io.lockstep.deadlock;

import java.util.List;

/**
 * An acquisition that would close a cycle in the acquired-before order of locks: two threads
 * (or one, at two times) take the same locks in opposite orders, so some interleaving deadlocks,
 * even if this run did not. Thrown by the acquisition under {@link LockOrder.Policy#THROW}
 * (the lock is then <em>not</em> taken), passed to {@link LockOrder#onViolation} under
 * {@link LockOrder.Policy#WARN}.
 *
 * <p>Its own stack trace is the acquisition that closes the cycle; its {@link #getCause() cause}
 * chain holds the stack traces of the earlier acquisitions that set the opposite order, one per
 * edge of {@link #cycle()}, each with a message such as {@code "B acquired while holding A"}.
 *
 * <pre>{@code
 * LockOrder.setPolicy(LockOrder.Policy.THROW);       // before the first lock is used
 * a.lock(); b.lock(); b.unlock(); a.unlock();        // records a -> b
 * b.lock();
 * try {
 *     a.lock();                                      // throws: a -> b already recorded
 * } catch (PotentialDeadlockException e) {
 *     e.cycle();                                     // [b, a, b]
 *     e.conflictingStackTrace();                     // where a -> b was recorded
 * } finally { b.unlock(); }
 * }</pre>
 */
public final class PotentialDeadlockException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The lock labels around the cycle, first and last the same. */
    private final List<String> cycle;

    PotentialDeadlockException(String message, List<String> cycle, Throwable conflicting) {
        super(message, conflicting);
        this.cycle = List.copyOf(cycle);
    }

    /**
     * The labels of the locks around the cycle, starting and ending with the held lock: {@code
     * [b, a, b]} for "acquiring a while holding b, but a was held while b was acquired before".
     */
    public List<String> cycle() {
        return cycle;
    }

    /** The stack trace of the earliest conflicting acquisition (the first edge of the opposite order). */
    public StackTraceElement[] conflictingStackTrace() {
        return getCause().getStackTrace();
    }
}
