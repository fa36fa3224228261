package io.lockstep.sync;

import io.lockstep.internal.Completions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * The asynchronous waiters of a gate that consumes nothing when it lets a waiter through
 * ({@link Latch}, {@link Event}, {@link WaitGroup}): each waits on a future, completed by the
 * call that opens the gate.
 *
 * <pre>{@code
 * // in the gate: created lazily, then
 * CompletableFuture<Void> f = waiters.await(this::isOpen);   // awaitAsync
 * ...
 * if (opened) waiters.wake();                               // after the state change
 * }</pre>
 */
final class AsyncWaiters {
    /*
     * Implementation notes.
     *
     * Lost wake-ups: await adds its entry, then re-checks the gate; the opener changes the gate's
     * (volatile) state, then scans the entries. Volatile accesses are totally ordered, so either
     * the re-check sees the gate open or the scan, which starts after the state change, sees the
     * entry (ConcurrentLinkedQueue's iterator sees every element added before it was created).
     * Each entry keeps its own release condition (an Event waiter is released by a set() after
     * it arrived, not by one before a clear()), so the scan takes only the entries it releases.
     * Cancel-safety: letting a waiter through consumes nothing, so a cancelled, timed-out or
     * otherwise completed future only has to leave the queue: a completion callback removes it.
     * Callbacks: futures are completed through Completions, outside any lock, by the thread that
     * opened the gate (or by the caller of await if the gate was open already).
     */
    private record Entry(CompletableFuture<Void> future, BooleanSupplier released) {}

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

    /** A future completed once {@code released} holds, checked now and at every {@link #wake()}. */
    CompletableFuture<Void> await(BooleanSupplier released) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (released.getAsBoolean()) {
            future.complete(null);
            return future;
        }
        Entry entry = new Entry(future, released);
        entries.add(entry);
        future.whenComplete((v, failure) -> {
            if (failure != null) entries.remove(entry);              // cancelled or failed by the user
        });
        if (released.getAsBoolean() && entries.remove(entry)) Completions.complete(future, null);
        return future;
    }

    /** Completes every waiter that is now released; call it after the state change that opens. */
    void wake() {
        if (entries.isEmpty()) return;
        List<Entry> ready = new ArrayList<>();
        entries.removeIf(e -> (e.future.isDone() || e.released.getAsBoolean()) && ready.add(e));
        for (Entry e : ready) Completions.complete(e.future, null);
    }

    /** How many futures wait (a snapshot, for tests and monitoring). */
    int size() {
        return entries.size();
    }
}
