package io.lockstep.promise;

import io.lockstep.internal.Completions;
import io.lockstep.internal.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Combinators over {@link CompletableFuture}s that clean up after themselves: the futures
 * whose results are no longer wanted are cancelled. {@code CompletableFuture.anyOf} and
 * {@code allOf} leave the losers running; these do not.
 *
 * <pre>{@code
 * // The first replica to answer wins; the others are cancelled.
 * CompletableFuture<Row> row = Futures.firstOf(replicaA.getAsync(key), replicaB.getAsync(key));
 *
 * // Every part, in order; the first failure fails the whole and cancels the parts still running.
 * CompletableFuture<List<Part>> parts = Futures.allOf(List.of(fetch(1), fetch(2), fetch(3)));
 *
 * // A deadline: TimeoutException, and the inner future is cancelled.
 * Futures.withTimeout(parts, Duration.ofSeconds(2));
 * }</pre>
 *
 * <p><b>One rule for cancellation:</b> once the combined future settles, in any way (a result,
 * a failure, its own {@code cancel}, {@code complete} or a timeout), every input still pending
 * is cancelled. So cancelling the combined future cancels all its inputs. Cancelling a
 * {@code CompletableFuture} does not interrupt the code computing it; the code that completes
 * it later simply loses ({@code complete} returns false).
 *
 * <p><b>Threads:</b> the combined future is completed, and inputs are cancelled, in the thread
 * that completed the deciding input (or cancelled the combined future); a timeout fires on a
 * fresh virtual thread, never on the JDK's shared delay-scheduler thread. Completions go
 * through the library's trampoline, so combinators chained through callbacks keep a flat
 * stack. Timeouts are turned into deadlines by the library's one deadline helper (saturating:
 * a huge timeout means none, zero or negative means at once).
 */
public final class Futures {
    /*
     * Implementation notes.
     *
     * Each combinator makes one result future and attaches one callback to each input; the
     * callback tries to complete the result (CompletableFuture's own CAS makes exactly one
     * attempt win) and the result's single whenComplete cancels every input that is still
     * pending. Completions.run keeps a chain of combinators (a result whose stage completes
     * another combinator's input) iterative. Nothing here takes a lock.
     *
     * allOf decides on the first failure rather than waiting for every input (as the JDK's
     * allOf does): waiting for the rest when the whole is already lost would keep work running
     * that nobody wants.
     *
     * The timeout timer is a plain CompletableFuture with the JDK's orTimeout (as AsyncOp's),
     * completed when the result settles, so the JDK removes the scheduled task and an early
     * result leaves nothing in the timer queue; the timer's own action only starts a virtual
     * thread.
     */
    private Futures() {}

    /**
     * The first of {@code futures} to complete, normally or not; the others are then
     * cancelled. With no futures, never completes (until cancelled).
     */
    @SafeVarargs
    public static <T> CompletableFuture<T> firstOf(CompletableFuture<? extends T>... futures) {
        return firstOf(Arrays.asList(futures));
    }

    /** As {@link #firstOf(CompletableFuture[])}, for a list. */
    public static <T> CompletableFuture<T> firstOf(List<? extends CompletableFuture<? extends T>> futures) {
        List<CompletableFuture<? extends T>> inputs = copy(futures);
        CompletableFuture<T> result = new CompletableFuture<>();
        cancelPendingWhenSettled(result, inputs);
        for (CompletableFuture<? extends T> f : inputs) {
            f.whenComplete((v, e) -> settle(result, v, e));
        }
        return result;
    }

    /**
     * Every value of {@code futures}, in their order, once all have completed normally; the
     * first failure (or cancellation) of any completes the result exceptionally with it, and
     * the others are then cancelled. With no futures, an empty list at once.
     */
    @SafeVarargs
    public static <T> CompletableFuture<List<T>> allOf(CompletableFuture<? extends T>... futures) {
        return allOf(Arrays.asList(futures));
    }

    /** As {@link #allOf(CompletableFuture[])}, for a list. */
    public static <T> CompletableFuture<List<T>> allOf(List<? extends CompletableFuture<? extends T>> futures) {
        List<CompletableFuture<? extends T>> inputs = copy(futures);
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        if (inputs.isEmpty()) {
            result.complete(List.of());
            return result;
        }
        cancelPendingWhenSettled(result, inputs);
        Object[] values = new Object[inputs.size()];
        AtomicInteger remaining = new AtomicInteger(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            int index = i;
            inputs.get(i).whenComplete((v, e) -> {
                if (e != null) {
                    settle(result, null, e);
                    return;
                }
                values[index] = v;                   // published by the decrement below
                if (remaining.decrementAndGet() == 0) {
                    @SuppressWarnings("unchecked")
                    List<T> all = (List<T>) Collections.unmodifiableList(Arrays.asList(values));
                    settle(result, all, null);
                }
            });
        }
        return result;
    }

    /**
     * A future that completes as {@code future} does, or exceptionally with
     * {@link TimeoutException} once {@code timeout} has passed (zero or negative: at once, if
     * {@code future} is not done); {@code future} is then cancelled. Cancelling the returned
     * future cancels {@code future} too.
     */
    public static <T> CompletableFuture<T> withTimeout(CompletableFuture<? extends T> future, Duration timeout) {
        Objects.requireNonNull(future, "future");
        long deadline = Deadline.after(timeout);
        CompletableFuture<T> result = firstOf(List.of(future));
        if (result.isDone() || deadline == Deadline.NONE) return result;
        long delay = Deadline.remaining(deadline);
        if (delay <= 0) {
            settle(result, null, new TimeoutException("timed out at once: timeout " + timeout));
            return result;
        }
        CompletableFuture<Void> timer = new CompletableFuture<Void>().orTimeout(delay, TimeUnit.NANOSECONDS);
        timer.whenComplete((v, e) -> {
            if (e != null) {                         // on the JDK's timer thread: only hand on
                Thread.ofVirtual().name("lockstep-futures-timeout").start(() ->
                        settle(result, null, new TimeoutException("timed out after " + timeout)));
            }
        });
        result.whenComplete((v, e) -> timer.complete(null));   // the JDK drops the timer task
        return result;
    }

    private static <T> List<CompletableFuture<? extends T>> copy(List<? extends CompletableFuture<? extends T>> futures) {
        Objects.requireNonNull(futures, "futures");
        List<CompletableFuture<? extends T>> inputs = new ArrayList<>(futures.size());
        for (CompletableFuture<? extends T> f : futures) inputs.add(Objects.requireNonNull(f, "a future"));
        return inputs;
    }

    private static void cancelPendingWhenSettled(CompletableFuture<?> result, List<? extends CompletableFuture<?>> inputs) {
        result.whenComplete((v, e) -> {
            for (CompletableFuture<?> f : inputs) {
                if (!f.isDone()) Completions.run(() -> f.cancel(false));
            }
        });
    }

    private static <T> void settle(CompletableFuture<T> result, T value, Throwable failure) {
        if (result.isDone()) return;
        if (failure == null) Completions.complete(result, value);
        else Completions.completeExceptionally(result, unwrap(failure));
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
