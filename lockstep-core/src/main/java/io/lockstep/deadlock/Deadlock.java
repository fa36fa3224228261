package io.lockstep.deadlock;

import java.util.List;

/**
 * One deadlock found by {@link DeadlockDetector}: a cycle of threads, each parked waiting for a
 * lock held by the next (the last waits for the first's).
 *
 * <pre>{@code
 * for (Deadlock d : DeadlockDetector.findDeadlocks()) {
 *     log.error(d.describe());                        // jstack-style, with every stack
 *     d.waiters().forEach(w -> w.thread().interrupt());   // if they wait interruptibly
 * }
 * }</pre>
 *
 * @param waiters the threads of the cycle, starting with the one with the lowest thread id
 */
public record Deadlock(List<Waiter> waiters) {
    /**
     * One thread of the cycle.
     *
     * @param thread the parked thread (platform or virtual)
     * @param lock the lock it waits for
     * @param holder the thread holding that lock (the next waiter of the cycle)
     * @param stack where it waits, as captured after the deadlock was confirmed
     */
    public record Waiter(Thread thread, Object lock, Thread holder, List<StackTraceElement> stack) {
        /** Makes an immutable waiter. */
        public Waiter {
            stack = List.copyOf(stack);
        }
    }

    /** Makes an immutable deadlock. */
    public Deadlock {
        waiters = List.copyOf(waiters);
    }

    /** A multi-line report in the style of {@code jstack}'s "Found one Java-level deadlock". */
    public String describe() {
        StringBuilder sb = new StringBuilder("Deadlock of ").append(waiters.size()).append(" thread(s):\n");
        for (Waiter w : waiters) {
            sb.append('"').append(w.thread.getName()).append("\" (").append(w.thread.isVirtual() ? "virtual" : "platform")
                    .append(", id ").append(w.thread.threadId()).append(") waits for ")
                    .append(LockOrder.GRAPH.label(w.lock)).append(", held by \"").append(w.holder.getName()).append("\"\n");
            for (StackTraceElement f : w.stack) sb.append("\tat ").append(f).append('\n');
        }
        return sb.toString();
    }
}
