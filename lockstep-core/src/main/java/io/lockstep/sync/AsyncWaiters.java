package io.lockstep.sync;

import io.lockstep.internal.Completions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The asynchronous waiters of a gate that consumes nothing when it lets a waiter through
 * ({@link Latch}, {@link Event}, {@link WaitGroup}, {@link OnceCell}): each waits on a future,
 * completed by the call that opens the gate (with a value read then, for {@link #await(BooleanSupplier, Supplier)}).
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
    private record Entry(CompletableFuture<Object> future, BooleanSupplier released, Supplier<?> value) {}

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

    /** A future completed once {@code released} holds, checked now and at every {@link #wake()}. */
    CompletableFuture<Void> await(BooleanSupplier released) {
        return await(released, () -> null);
    }

    /**
     * As {@link #await(BooleanSupplier)}, the future completed with {@code value}, read once
     * {@code released} holds (it must not be null then, unless the future is a {@code Void} one).
     */
    @SuppressWarnings("unchecked")
    <V> CompletableFuture<V> await(BooleanSupplier released, Supplier<? extends V> value) {
        CompletableFuture<V> future = new CompletableFuture<>();
        if (released.getAsBoolean()) {
            future.complete(value.get());
            return future;
        }
        Entry entry = new Entry((CompletableFuture<Object>) future, released, value);
        entries.add(entry);
        future.whenComplete((v, failure) -> {
            if (failure != null || !entry.released.getAsBoolean()) entries.remove(entry);   // settled by the user
        });
        if (released.getAsBoolean() && entries.remove(entry)) Completions.complete(future, value.get());
        return future;
    }

    /** Completes every waiter that is now released; call it after the state change that opens. */
    void wake() {
        if (entries.isEmpty()) return;
        List<Entry> ready = new ArrayList<>();
        entries.removeIf(e -> (e.future.isDone() || e.released.getAsBoolean()) && ready.add(e));
        for (Entry e : ready) Completions.complete(e.future, e.value.get());
    }

    /** How many futures wait (a snapshot, for tests and monitoring). */
    int size() {
        return entries.size();
    }
}
