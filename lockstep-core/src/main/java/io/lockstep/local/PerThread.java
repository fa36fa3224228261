package io.lockstep.local;

import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A value per thread, made on first use by an initializer, that, unlike {@link ThreadLocal}, can
 * be visited across all live threads: the building block of per-thread counters and statistics
 * (each thread updates its own cell without contention; a reader sums them).
 *
 * <pre>{@code
 * PerThread<AtomicLongCell> hits = PerThread.withInitial(() -> new AtomicLongCell(0));
 *
 * hits.get().fetchAdd(1, Ordering.RELAXED);            // in any thread, platform or virtual
 *
 * long total = hits.reduce(0L, (sum, c) -> sum + c.load(Ordering.RELAXED));
 * }</pre>
 * Values of threads that have terminated are dropped: they are no longer visited, and they are
 * removed (becoming garbage) the next time the values are visited or a new thread registers. Use
 * {@link #remove()} to drop the current thread's value early. Works with virtual threads, where
 * it costs one small slot per thread that calls {@link #get()}.
 *
 * <p><b>Memory effects:</b> a value made by the initializer, or stored by {@link #set}, is
 * published safely: a thread visiting it with {@link #forEach} sees it fully constructed. Later
 * changes <em>inside</em> a mutable value are not ordered by this class: make them atomic (as
 * {@code AtomicLongCell} above) or otherwise synchronized.
 */
public final class PerThread<T> {
    /*
     * Implementation notes.
     *
     * A ThreadLocal gives the owner O(1) access to its Slot; every Slot is also in `slots`, a
     * lock-free queue, for visiting. A Slot holds its thread weakly (a dead thread should be
     * collectable) and its value in a volatile field (safe publication to visitors).
     * Invariants:
     *   I1  A Slot is in `slots` from its owner's first get() until it is purged because its
     *       thread died (or remove() was called); each live thread that called get() has exactly
     *       one Slot in `slots` for this PerThread.
     *   I2  Purging removes only Slots whose thread is dead or gone, so live values are never
     *       dropped; a thread cannot come back to life, so a dead Slot stays dead.
     * Cost: get() is a ThreadLocal lookup. Registration is a CAS on the queue's tail, and every
     *   PURGE_EVERY registrations also sweeps dead Slots (amortised O(1)), so a stream of short
     *   virtual threads does not grow the queue without bound.
     * Tried and rejected: a WeakHashMap<Thread, T> under a lock (every get() would take the lock),
     *   and ThreadLocal alone (its values cannot be visited from other threads).
     */
    private static final int PURGE_EVERY = 64;

    private static final class Slot<T> {
        final WeakReference<Thread> thread;
        volatile T value;

        Slot(Thread thread, T value) {
            this.thread = new WeakReference<>(thread);
            this.value = value;
        }

        boolean live() {
            Thread t = thread.get();
            return t != null && t.isAlive();
        }
    }

    private final Supplier<? extends T> initializer;
    private final ThreadLocal<Slot<T>> local = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<Slot<T>> slots = new ConcurrentLinkedQueue<>();
    private final AtomicInteger registrations = new AtomicInteger();

    private PerThread(Supplier<? extends T> initializer) {
        this.initializer = initializer;
    }

    /** A per-thread value that {@code initializer} makes on each thread's first {@link #get()}. */
    public static <T> PerThread<T> withInitial(Supplier<? extends T> initializer) {
        return new PerThread<>(Objects.requireNonNull(initializer, "initializer"));
    }

    /**
     * The current thread's value, made by the initializer on first use. If the initializer throws,
     * the exception propagates and nothing is registered (the next get() tries again).
     */
    public T get() {
        Slot<T> slot = local.get();
        return slot != null ? slot.value : register(initializer.get()).value;
    }

    /** Replaces the current thread's value. */
    public void set(T value) {
        Slot<T> slot = local.get();
        if (slot != null) slot.value = value;
        else register(value);
    }

    /** Drops the current thread's value; the next {@link #get()} makes a fresh one. */
    public void remove() {
        Slot<T> slot = local.get();
        if (slot == null) return;
        local.remove();
        slots.remove(slot);
    }

    /**
     * Calls {@code action} with the value of every live thread that has one (weakly consistent:
     * threads registering or dying meanwhile may or may not be visited). Drops dead threads' values.
     */
    public void forEach(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        for (Iterator<Slot<T>> it = slots.iterator(); it.hasNext(); ) {
            Slot<T> slot = it.next();
            if (slot.live()) action.accept(slot.value);
            else it.remove();                                  // keeps I2: dead stays dead
        }
    }

    /** Folds the live threads' values into one result, as {@link #forEach} visits them. */
    public <R> R reduce(R identity, BiFunction<R, ? super T, R> accumulator) {
        Objects.requireNonNull(accumulator, "accumulator");
        Object[] acc = {identity};
        forEach(v -> {
            @SuppressWarnings("unchecked") R r = (R) acc[0];
            acc[0] = accumulator.apply(r, v);
        });
        @SuppressWarnings("unchecked") R result = (R) acc[0];
        return result;
    }

    /** How many live threads have a value (a snapshot; also drops dead threads' values). */
    public int size() {
        return reduce(0, (n, v) -> n + 1);
    }

    private Slot<T> register(T value) {
        Slot<T> slot = new Slot<>(Thread.currentThread(), value);
        if (registrations.incrementAndGet() % PURGE_EVERY == 0) slots.removeIf(s -> !s.live());
        slots.add(slot);                                       // I1
        local.set(slot);
        return slot;
    }

    @Override
    public String toString() {
        return "PerThread[" + slots.size() + " slots]";
    }
}
