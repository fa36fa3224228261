package io.lockstep.internal;

import java.util.ArrayDeque;

/**
 * Runs completions (of futures the library completes, so user callbacks) iteratively on the
 * calling thread: a completion started while the same thread is already running one is queued
 * and run after it returns, instead of nested inside it. So a callback that releases what the
 * next callback waits for ({@code acquireAsync(1).thenAccept(p -> { try (p) { ... } })} chained
 * 100,000 times) runs in a loop with a flat stack, where plain nesting would overflow it.
 *
 * <pre>{@code
 * Trampoline.run(() -> future.complete(value));   // never under an internal lock
 * }</pre>
 *
 * <p>Which thread runs callbacks: the thread whose call made the completion (a release, a
 * cancellation, a close), after that call's internal work is done; a completion caused from
 * inside a callback runs on that same outer thread, once the callback returns.
 */
public final class Trampoline {
    /*
     * Implementation notes.
     *
     * A per-thread queue that exists only while its thread is draining (the outermost run call);
     * nested calls find it and append. A task that throws does not stop the drain: every queued
     * completion still runs (a lost completion would strand a waiter or a permit), and the first
     * failure is rethrown to the outermost caller afterwards, later ones suppressed into it.
     * ThreadLocal, not a field of the primitive: the nesting is a property of the thread's stack.
     */
    private static final ThreadLocal<ArrayDeque<Runnable>> DRAINING = new ThreadLocal<>();

    private Trampoline() {}

    /** Runs {@code task} now, or after the completion this thread is running, if any. */
    public static void run(Runnable task) {
        ArrayDeque<Runnable> queue = DRAINING.get();
        if (queue != null) {
            queue.add(task);
            return;
        }
        queue = new ArrayDeque<>();
        DRAINING.set(queue);
        Throwable failure = null;
        try {
            for (Runnable t = task; t != null; t = queue.poll()) {
                try {
                    t.run();
                } catch (Throwable e) {
                    if (failure == null) failure = e; else failure.addSuppressed(e);
                }
            }
        } finally {
            DRAINING.remove();
        }
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error e) throw e;
        if (failure != null) throw new IllegalStateException(failure);
    }
}
