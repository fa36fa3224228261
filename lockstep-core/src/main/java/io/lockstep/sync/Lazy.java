package io.lockstep.sync;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A value computed on first use, once, even when several threads ask at the same time (Rust's
 * {@code LazyLock}, Guava's {@code Suppliers.memoize}); a {@link OnceCell} with its initializer
 * built in. If the computation throws, nothing is stored and the next {@link #get()} tries again.
 *
 * <pre>{@code
 * private static final Lazy<Pattern> EMAIL = Lazy.of(() -> Pattern.compile("[^@]+@[^@]+"));
 *
 * boolean valid(String s) { return EMAIL.get().matcher(s).matches(); }
 * }</pre>
 *
 * <p><b>Memory effects:</b> as {@link OnceCell}. The supplier is dropped once the value is set.
 */
public final class Lazy<T> implements Supplier<T> {
    private final OnceCell<T> cell = new OnceCell<>();
    private volatile Supplier<? extends T> supplier;      // null once the value is set

    private Lazy(Supplier<? extends T> supplier) {
        this.supplier = supplier;
    }

    /** A lazy value computed by {@code supplier}, which must not return null. */
    public static <T> Lazy<T> of(Supplier<? extends T> supplier) {
        return new Lazy<>(Objects.requireNonNull(supplier, "supplier"));
    }

    /** The value, computing it on the first call. */
    @Override
    public T get() {
        return cell.getOrInit(this::compute);
    }

    /**
     * The value as a future: completed at once if computed; otherwise computed (or, if another
     * thread is computing it, waited for) by a task on {@code executor}, so the caller never
     * blocks. If the computation throws, the future fails with that exception and the next call
     * tries again. Cancelling the future loses nothing: a value computed anyway is kept.
     */
    public CompletableFuture<T> getAsync(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        Optional<T> v = cell.get();
        return v.isPresent() ? CompletableFuture.completedFuture(v.get()) : CompletableFuture.supplyAsync(this, executor);
    }

    /** Whether the value has been computed. */
    public boolean isInitialized() {
        return cell.isSet();
    }

    /** The value if already computed, without computing it. */
    public Optional<T> getIfInitialized() {
        return cell.get();
    }

    /** Runs only in the one thread that initializes the cell, so `supplier` is still set. */
    private T compute() {
        T v = supplier.get();
        if (v != null) supplier = null;
        return v;
    }

    @Override
    public String toString() {
        return "Lazy[" + cell.get().map(String::valueOf).orElse("not computed") + "]";
    }
}
