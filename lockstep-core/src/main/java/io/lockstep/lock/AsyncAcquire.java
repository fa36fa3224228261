package io.lockstep.lock;

import io.lockstep.internal.Completions;
import io.lockstep.park.AsyncWait;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * One {@link RawMutex#lockAsync()} request: a future for the guard, queued in the mutex's line in
 * the parking lot until the lock is handed to it.
 *
 * <pre>{@code
 * CompletableFuture<G> f = AsyncAcquire.start(mutex, guard -> wrap(guard));
 * }</pre>
 */
final class AsyncAcquire<G> implements LongConsumer, BiConsumer<G, Throwable> {
    /*
     * Implementation notes.
     *
     * Cancel-safety: the future and the parking lot race, and the bucket lock decides. A future
     * completed by anyone but us (cancel, orTimeout, complete) runs accept(v, e), which takes
     * the waiter out of the queue (AsyncWait.cancel); if a waker dequeued it first, the waker's
     * hand-off reaches grant(), whose future.complete fails, and grant closes the guard, handing
     * the lock on. Each queued waiter is woken or cancelled exactly once (ParkingLot I3), so the
     * lock is released exactly once. `queued` is written before the future is checked again (in
     * retry), and the future is completed before accept reads `queued`: volatile on both sides, so
     * one of them sees the other (Dekker).
     * Callbacks: accept(long) runs on the waker's thread after the bucket is released; everything
     * it does, including completing the future (user code), goes through Completions, so a stage
     * that closes its guard and thereby grants the next request queues that grant instead of
     * recursing into it.
     * With an executor (lockAsync(executor)), a request waits like a thread: it is queued as a
     * barging waiter with its age (waitingSince, kept across retries), so an unlock hands the
     * lock to it only once it is due (about 0.5 ms) and otherwise frees the lock and wakes it to
     * retry; the retry (and a hand-off's grant) runs on the executor, where the future is then
     * completed, so its stages run there while the lock is held, and a holder that releases and
     * asks again meanwhile barges in, instead of the lock waiting, held, for the executor to
     * schedule the next task (the convoy of issue 15's AsyncLockBench `contended`). A barging
     * request woken after its future was settled passes the wake-up on (passWakeUpOn), as a
     * woken thread that gives up would have to.
     * Before queuing, a request spins as a blocked thread would (MutexCore.acquireSpinning: no
     * yield, only while nobody is parked), so the async loser of a short two-way race takes the
     * lock on the caller instead of queuing and being woken through its future.
     */
    private final RawMutex mutex;
    private final RawMutexGuard guard;
    private final Function<RawMutexGuard, G> wrap;
    /** Where a woken request retries and completes; null: on the waker's thread, handed the lock. */
    private final Executor executor;
    /** nanoTime of the first wait, kept across retries (fairness counts from it). */
    private final long waitingSince = System.nanoTime();
    final CompletableFuture<G> future = new CompletableFuture<>();
    private volatile AsyncWait queued;
    private volatile G granted;

    private AsyncAcquire(RawMutex mutex, RawMutexGuard guard, Function<RawMutexGuard, G> wrap, Executor executor) {
        this.mutex = mutex;
        this.guard = guard;
        this.wrap = wrap;
        this.executor = executor;
    }

    /**
     * Starts a request. {@code wrap} turns the held guard into the future's value; it may throw
     * (a poisoned Mutex), after closing the guard itself, to fail the future instead.
     */
    static <G> CompletableFuture<G> start(RawMutex mutex, Function<RawMutexGuard, G> wrap) {
        return start(mutex, wrap, null);
    }

    /**
     * As {@link #start(RawMutex, Function)}; with an {@code executor}, a request that has to wait
     * waits like a thread (see the notes) and is completed on the executor.
     */
    static <G> CompletableFuture<G> start(RawMutex mutex, Function<RawMutexGuard, G> wrap, Executor executor) {
        RawMutexGuard guard = new RawMutexGuard(mutex, Thread.currentThread());
        if (mutex.acquireFast() || mutex.acquireSpinning()) {   // free, or freed while we spun: no request needed
            mutex.guardAcquired(guard);
            try {
                return CompletableFuture.completedFuture(wrap.apply(guard));
            } catch (Throwable t) {                      // wrap has closed the guard
                return CompletableFuture.failedFuture(t);
            }
        }
        AsyncAcquire<G> req = new AsyncAcquire<>(mutex, guard, wrap, executor);
        AsyncWait w = req.enqueue();
        if (w == null) {
            req.grant();                                 // free: completes before it is returned
        } else {
            req.queued = w;
            req.future.whenComplete(req);
        }
        return req.future;
    }

    /** The parking lot woke us (after releasing the bucket): the lock is ours, or try again. */
    @Override
    public void accept(long token) {
        Runnable next = token == MutexCore.TOKEN_HANDOFF ? this::grant : this::retry;
        if (executor == null) {
            Completions.run(next);
            return;
        }
        try {
            executor.execute(() -> Completions.run(next));
        } catch (RejectedExecutionException refused) {   // nowhere else to run: here
            Completions.run(next);
        }
    }

    private AsyncWait enqueue() {
        return executor == null ? mutex.acquireOrEnqueue(this) : mutex.acquireOrEnqueue(this, waitingSince, true);
    }

    /** The future completed: if not by us, leave the line (or, if too late, grant() hands the lock on). */
    @Override
    public void accept(G value, Throwable failure) {
        if (failure == null && value != null && value == granted) return;
        AsyncWait w = queued;
        if (w != null) mutex.cancelQueued(w);
    }

    private void retry() {
        if (future.isDone()) {                           // nobody waits any more; we hold nothing
            mutex.passWakeUpOn();                        // but the wake-up was ours: pass it on
            return;
        }
        AsyncWait w = enqueue();
        if (w == null) {
            grant();
            return;
        }
        queued = w;
        if (future.isDone()) mutex.cancelQueued(w);      // completed meanwhile (see the notes)
    }

    /** We hold LOCKED: give the guard to the future, or give the lock back if nobody wants it. */
    private void grant() {
        mutex.guardAcquired(guard);
        G value;
        try {
            value = wrap.apply(guard);                  // on failure wrap has closed the guard
        } catch (Throwable t) {
            future.completeExceptionally(t);
            return;
        }
        granted = value;
        if (!future.complete(value)) guard.close();     // cancelled, timed out or completed: hand on
    }
}
