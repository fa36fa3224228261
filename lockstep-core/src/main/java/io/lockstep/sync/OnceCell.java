package io.lockstep.sync;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.Names;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.gate.Gate;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A cell written at most once, as Rust's {@code OnceLock}: {@link #getOrInit} runs one initializer
 * while concurrent callers wait for its value. If the initializer throws, the cell stays empty and
 * the exception propagates; the next caller tries again (its own initializer).
 *
 * <pre>{@code
 * private static final OnceCell<Config> CONFIG = new OnceCell<>();
 *
 * static Config config() {
 *     return CONFIG.getOrInit(Config::load);     // loaded once, even under a race
 * }
 * }</pre>
 * Values are never null: a null value or initializer result throws {@link NullPointerException}.
 *
 * <p><b>Memory effects:</b> the initializer's (or {@link #set}'s caller's) actions before
 * publishing the value happen-before every read that returns it.
 */
public final class OnceCell<T> {
    /*
     * Implementation notes.
     * State: EMPTY -> INITIALIZING -> SET, or INITIALIZING -> EMPTY when the initializer throws.
     * The thread whose CAS moved EMPTY -> INITIALIZING writes `value` (volatile) and then SET;
     * the fast path reads `value` alone. Waiters use Gate's keyed protocol on `this` for
     * state != INITIALIZING, then re-check: a failed initializer leaves EMPTY and one of them
     * initializes next. A getOrInit from inside the initializer would wait for itself: it throws.
     * getAsync: futures in an AsyncWaiters, created on first use (most cells never have one) and
     * woken after the value is set. No lost wake-up: the waiter installs or reads `async`
     * (volatile), queues, then re-checks `value`; the initializer writes `value`, then reads
     * `async`: if it saw null, the install came later, and so did the waiter's re-check.
     */
    private static final int EMPTY = 0, INITIALIZING = 1, SET = 2;
    private static final VarHandle STATE, ASYNC;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(OnceCell.class, "state", int.class);
            ASYNC = MethodHandles.lookup().findVarHandle(OnceCell.class, "async", AsyncWaiters.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile T value;                 // non-null once SET
    private volatile int state;
    private Thread initializer;               // the thread in INITIALIZING; reentrancy check only
    private volatile AsyncWaiters async;      // created by the first getAsync

    /** An empty cell. */
    public OnceCell() {}

    /** The value, if set. */
    public Optional<T> get() {
        return Optional.ofNullable(value);
    }

    /** Whether the value is set. */
    public boolean isSet() {
        return value != null;
    }

    /**
     * The value, initializing it with {@code init} if the cell is empty; waits while another
     * thread initializes. If {@code init} throws, the cell stays empty and the exception propagates.
     *
     * @throws NullPointerException if {@code init} is null or returns null
     * @throws IllegalStateException if called from inside this cell's initializer
     */
    public T getOrInit(Supplier<? extends T> init) {
        Objects.requireNonNull(init, "init");
        T v = value;
        return v != null ? v : initSlow(init);
    }

    /** Sets the value if the cell is empty (waiting out a running initializer); false if already set. */
    public boolean set(T newValue) {
        Objects.requireNonNull(newValue, "value");
        if (value != null) return false;
        boolean[] won = {false};
        initSlow(() -> {
            won[0] = true;
            return newValue;
        });
        return won[0];
    }

    /** Waits until the value is set, and returns it. */
    public T await() throws InterruptedException {
        Gate.untilInterruptibly(this, this::isSet, Deadline.NONE);
        return value;
    }

    /**
     * As {@link #await()}, ignoring interrupts: an interrupt does not end the wait, and the
     * interrupt status is set again when this returns.
     */
    public T awaitUninterruptibly() {
        Gate.until(this, this::isSet, Deadline.NONE, false);
        return value;
    }

    /** Waits at most {@code timeout} for the value. */
    public Optional<T> await(Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        Gate.untilInterruptibly(this, this::isSet, deadline);
        return get();
    }

    /**
     * A future completed with the value once the cell is set (at once if it is). Nothing is
     * consumed when it completes, so cancelling it or completing it yourself loses nothing; a
     * cancelled future leaves the waiters at once. Dependent stages run on the thread that set
     * the value (after its initializer returned, outside every lock), or on the caller if the
     * value was there; they run one after another, never nested.
     */
    public CompletableFuture<T> getAsync() {
        T v = value;
        if (v != null) return CompletableFuture.completedFuture(v);
        AsyncWaiters w = async;
        if (w == null) {
            w = new AsyncWaiters();
            if (!ASYNC.compareAndSet(this, null, w)) w = async;
        }
        return w.await(this::isSet, () -> value);
    }

    private T initSlow(Supplier<? extends T> init) {
        for (;;) {
            int s = state;
            if (s == SET) return value;
            if (s == INITIALIZING) {
                if (initializer == Thread.currentThread()) {
                    throw new IllegalStateException("OnceCell initializer re-entered its own cell");
                }
                Gate.until(this, () -> state != INITIALIZING, Deadline.NONE, false);
                continue;
            }
            if (!STATE.compareAndSet(this, EMPTY, INITIALIZING)) continue;
            initializer = Thread.currentThread();
            T v = null;
            try {
                v = Objects.requireNonNull(init.get(), "OnceCell initializer returned null");
                value = v;
                return v;
            } finally {
                initializer = null;
                state = v != null ? SET : EMPTY;
                ParkingLot.unparkAll(this);
                AsyncWaiters w = async;
                if (v != null && w != null) w.wake();
            }
        }
    }

    @Override
    public String toString() {
        T v = value;
        return Names.describe(this) + "[" + (v != null ? v : "empty") + "]";
    }

    /**
     * Names this cell for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this cell, so a field can be
     * named where it is created: {@code private final OnceCell<Config> config = new OnceCell<Config>().named("config");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this cell already has another name
     */
    public OnceCell<T> named(String name) {
        return Names.name(this, name);
    }

    /** This cell's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
