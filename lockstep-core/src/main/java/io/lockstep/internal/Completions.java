package io.lockstep.internal;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Completes futures without recursing through user code: a per-thread trampoline. The first
 * completion on a thread runs at once; a completion requested while one is running on the same
 * thread (a dependent stage that completes another of the library's futures) is queued and run
 * after the running one returns, by the outermost call. So a chain of callbacks each of which
 * completes the next runs in a loop, not on a growing stack.
 *
 * <pre>{@code
 * Completions.complete(future, value);     // instead of future.complete(value)
 * }</pre>
 *
 * <p>Call it outside every internal lock: the completion runs user code. A completion that
 * throws does not stop the others: every queued one still runs, and the first throwable (with
 * the later ones suppressed) is rethrown by the outermost call once the queue is empty.
 */
public final class Completions {
    /*
     * Implementation notes.
     *
     * Why: CompletableFuture flattens the dependents of one future (postComplete), but a stage
     * that completes a different future starts a new postComplete on top of the stack; 100,000
     * such links overflowed it, and the StackOverflowError, caught by the JDK into some stage,
     * silently broke the chain (issue 12, item 2).
     * How: `pending` is non-null exactly while a call on this thread is draining; nested calls
     * only append. A deferred completion runs on the same thread shortly after, once the stage
     * that asked for it returns: so a stage must not block waiting for a future it has just
     * completed through here (it would wait for itself).
     * Cost: one ThreadLocal read per completion, one ArrayDeque per outermost call.
     */
    private static final ThreadLocal<ArrayDeque<Runnable>> PENDING = new ThreadLocal<>();

    private Completions() {}

    /** Completes {@code future} with {@code value}, iteratively (see the class comment). */
    public static <T> void complete(CompletableFuture<? super T> future, T value) {
        Objects.requireNonNull(future, "future");
        run(() -> future.complete(value));
    }

    /** Completes {@code future} with {@code ex}, iteratively (see the class comment). */
    public static void completeExceptionally(CompletableFuture<?> future, Throwable ex) {
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(ex, "ex");
        run(() -> future.completeExceptionally(ex));
    }

    /** Runs {@code completion} now, or after the completion running on this thread returns. */
    public static void run(Runnable completion) {
        Objects.requireNonNull(completion, "completion");
        ArrayDeque<Runnable> queue = PENDING.get();
        if (queue != null) {
            queue.add(completion);
            return;
        }
        queue = new ArrayDeque<>();
        PENDING.set(queue);
        Throwable failure = null;
        try {
            for (Runnable r = completion; r != null; r = queue.poll()) {
                try {
                    r.run();
                } catch (Throwable t) {                     // the rest still run: nothing is lost
                    if (failure == null) failure = t;
                    else if (failure != t) failure.addSuppressed(t);
                }
            }
        } finally {
            PENDING.remove();
        }
        if (failure instanceof Error e) throw e;
        if (failure != null) throw failure instanceof RuntimeException e ? e : new RuntimeException(failure);
    }
}
