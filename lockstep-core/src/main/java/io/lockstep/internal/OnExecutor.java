package io.lockstep.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The {@code Executor} overloads of the async acquisitions: the caller's future is completed on
 * the executor, so that the dependent stages the caller attaches (non-async ones included) run
 * there, while the acquisition itself keeps its cancel-safety. A value (a guard, a permit) that
 * arrives when nobody wants it any more is closed, once.
 *
 * <pre>{@code
 * return OnExecutor.complete(this::lockAsync, executor);
 * }</pre>
 */
public final class OnExecutor {
    /*
     * Implementation notes.
     *
     * Two futures: `source`, the acquisition's (settled by the lock on the releasing thread) and
     * `out`, the caller's (settled only on the executor, or by the caller). Settling `out` by
     * anyone else (cancel, orTimeout, complete) cancels `source`, which is cancel-safe by itself;
     * if `source` already had its value, the executor's task finds `out` settled and closes the
     * value. So the value is either delivered or closed, exactly once. A rejecting executor fails
     * `out` with the RejectedExecutionException, closing the value. An executor that accepts the
     * task and drops it (shutdownNow) loses the value, and the lock or permit with it: the
     * public overloads say so.
     */
    private OnExecutor() {}

    /**
     * Checks {@code executor}, then starts the acquisition and returns a future completed on
     * {@code executor} with its outcome.
     *
     * @throws NullPointerException if {@code executor} is null (nothing is started)
     */
    public static <T extends AutoCloseable> CompletableFuture<T> complete(Supplier<CompletableFuture<T>> start, Executor executor) {
        Objects.requireNonNull(executor, "executor");
        CompletableFuture<T> source = start.get();
        CompletableFuture<T> out = new CompletableFuture<>();
        source.whenComplete((v, e) -> {
            try {
                executor.execute(() -> deliver(out, v, e));
            } catch (Throwable rejected) {
                closeQuietly(v);
                out.completeExceptionally(rejected);
            }
        });
        out.whenComplete((v, e) -> source.cancel(false));   // a no-op once source is done
        return out;
    }

    private static <T extends AutoCloseable> void deliver(CompletableFuture<T> out, T value, Throwable failure) {
        if (failure != null) out.completeExceptionally(failure);
        else if (!out.complete(value)) closeQuietly(value);
    }

    private static void closeQuietly(AutoCloseable value) {
        if (value == null) return;
        try {
            value.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing an acquisition nobody waited for failed", e);
        }
    }
}
