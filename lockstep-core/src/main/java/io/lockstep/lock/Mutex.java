package io.lockstep.lock;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.GuardedBy;
import io.lockstep.internal.LockTracking;
import io.lockstep.internal.Names;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A mutual-exclusion lock that owns the data it protects, as Rust's {@code Mutex<T>}: the data is
 * reachable only through a {@link MutexGuard}, so it cannot be touched without the lock.
 *
 * <p>Before, with a lock beside a field, nothing stops a forgotten {@code lock()}:
 * <pre>{@code
 * private final ReentrantLock lock = new ReentrantLock();
 * private int counter;                        // "guarded by lock" — a comment, not a rule
 *
 * lock.lock();
 * try { counter++; } finally { lock.unlock(); }
 * }</pre>
 * After:
 * <pre>{@code
 * private final Mutex<Integer> counter = Mutex.of(0);
 *
 * try (MutexGuard<Integer> g = counter.lock()) {
 *     g.set(g.get() + 1);
 * }
 * counter.update(c -> c + 1);                 // the same, in one call
 * int seen = counter.withLock(c -> c);        // read under the lock
 * }</pre>
 *
 * <p><b>Poisoning.</b> If a {@link #withLock} or {@link #update} body throws, or a guard's
 * {@link MutexGuard#update update} throws, or a holder calls {@link MutexGuard#poison}, the mutex
 * is poisoned: every later lock throws {@link PoisonedException}, carrying the original failure,
 * until someone calls {@link #clearPoison()}. The exception can {@linkplain
 * PoisonedException#recover() recover} the guard anyway. Java cannot see that a guard is closed
 * by an exception unwinding through try-with-resources, so code that can fail half-way inside a
 * guard should use {@code withLock}/{@code update} or call {@code poison} itself. Poisoning is on
 * by default; {@link #nonPoisoning} makes a mutex that never poisons.
 *
 * <p>Any {@link Lock} can sit underneath: {@link RawMutex} by default, or
 * {@code Mutex.of(new McsLock(), data)}. The lock must not be reentrant-locked from outside.
 * When lock-order tracking is on ({@link io.lockstep.deadlock.LockOrder}), a lock that is not
 * Lockstep's own (a JUC {@code ReentrantLock}) is reported through the mutex, so
 * {@code LockOrder} and {@code DeadlockDetector} see it like Lockstep's locks; {@link #rawLock()}
 * then returns the reporting wrapper.
 *
 * <p><b>Memory effects:</b> writes to the data through a guard happen-before the next guard's
 * reads (the lock's happens-before edge).
 */
public final class Mutex<T> {
    private final Lock lock;
    @GuardedBy("lock") T data;
    private final Poison poison;

    private Mutex(Lock lock, T data, boolean poisoning) {
        Objects.requireNonNull(lock, "lock");
        // A foreign lock does not report to LockOrder/DeadlockDetector itself; the wrapper does,
        // and only exists when tracking is compiled in (free otherwise).
        this.lock = LockTracking.ENABLED && TrackedLock.isForeign(lock) ? new TrackedLock(lock) : lock;
        this.data = data;
        this.poison = new Poison(poisoning);
    }

    /** A poisoning mutex over a new {@link RawMutex}. */
    public static <T> Mutex<T> of(T data) {
        return new Mutex<>(new RawMutex(), data, true);
    }

    /** A poisoning mutex over {@code lock}, which it now owns: do not use it elsewhere. */
    public static <T> Mutex<T> of(Lock lock, T data) {
        return new Mutex<>(lock, data, true);
    }

    /** A mutex over {@code lock} that never poisons. */
    public static <T> Mutex<T> nonPoisoning(Lock lock, T data) {
        return new Mutex<>(lock, data, false);
    }

    /** Blocks until the lock is free, then returns its guard. @throws PoisonedException if poisoned */
    public MutexGuard<T> lock() {
        lock.lock();
        return guardOrPoisoned();
    }

    /** As {@link #lock()}, but an interrupt ends the wait. */
    public MutexGuard<T> lockInterruptibly() throws InterruptedException {
        lock.lockInterruptibly();
        return guardOrPoisoned();
    }

    /**
     * Acquires without blocking a thread: the future completes with a guard that owns the lock
     * (not a thread), which any thread may use and close. Same contract as
     * {@link RawMutex#lockAsync()}: requests wait in line with blocked threads, the future is
     * cancel-safe (a cancel, {@code orTimeout} or {@code complete} loses no lock), and dependent
     * stages run on the caller if the lock was free, else on the thread that handed it over.
     * If the mutex is poisoned when the lock is granted, the lock is released and the future
     * fails with {@link PoisonedException}.
     *
     * <p>A guard from here cannot wait on a {@link Condvar} or {@link MutexGuard#unlocked run
     * unlocked} (both re-lock as a thread); {@link IllegalStateException} if tried.
     *
     * @throws UnsupportedOperationException if the lock underneath is not a {@link RawMutex}
     *         (only Lockstep's own mutex has guard-owned holds)
     */
    public CompletableFuture<MutexGuard<T>> lockAsync() {
        return rawMutex().lockAsyncWrapped(this::asyncGuardOrPoisoned);
    }

    /**
     * As {@link #lockAsync()}, but a request that has to wait waits like a blocked thread and is
     * completed on {@code executor}, where its dependent stages then run (the caller runs them
     * if the lock was free); running holders may barge in meanwhile, with eventual fairness. See
     * {@link RawMutex#lockAsync(Executor)}; cancel-safe in the same way.
     *
     * @throws NullPointerException if {@code executor} is null (nothing is acquired)
     * @throws UnsupportedOperationException if the lock underneath is not a {@link RawMutex}
     */
    public CompletableFuture<MutexGuard<T>> lockAsync(Executor executor) {
        return rawMutex().lockAsyncWrapped(this::asyncGuardOrPoisoned, executor);
    }

    RawMutex rawMutex() {
        if (!(lock instanceof RawMutex raw)) {
            throw new UnsupportedOperationException("lockAsync needs a RawMutex under the Mutex (guard-owned holds); "
                    + "this one is over a " + lock.getClass().getName());
        }
        return raw;
    }

    /** The guard if the lock is free now; empty otherwise. @throws PoisonedException if poisoned */
    public Optional<MutexGuard<T>> tryLock() {
        return lock.tryLock() ? Optional.of(guardOrPoisoned()) : Optional.empty();
    }

    /**
     * The guard if the lock frees within {@code timeout}; empty otherwise. A zero or negative
     * timeout tries once.
     */
    public Optional<MutexGuard<T>> tryLock(Duration timeout) throws InterruptedException {
        return lock.tryLock(Deadline.toNanos(timeout), TimeUnit.NANOSECONDS) ? Optional.of(guardOrPoisoned()) : Optional.empty();
    }

    /**
     * Runs {@code body} on the data under the lock and returns its result. If {@code body} throws,
     * the mutex is poisoned and the exception propagates.
     */
    public <R> R withLock(Function<? super T, ? extends R> body) {
        Objects.requireNonNull(body, "body");
        try (MutexGuard<T> g = lock()) {
            try {
                return body.apply(g.get());
            } catch (Throwable t) {
                poison(t);
                throw t;
            }
        }
    }

    /** Replaces the data with {@code f} of it under the lock; returns the new value. */
    public T update(UnaryOperator<T> f) {
        Objects.requireNonNull(f, "f");
        try (MutexGuard<T> g = lock()) {
            return g.update(f);
        }
    }

    /** Whether a failure has poisoned the mutex (always false for a non-poisoning one). */
    public boolean isPoisoned() {
        return poison.cause() != null;
    }

    /** Declares the data consistent again. */
    public void clearPoison() {
        poison.clear();
    }

    /** The lock underneath, for a {@link Condvar} or for monitoring. Do not lock it directly. */
    public Lock rawLock() {
        return lock;
    }

    void poison(Throwable cause) {
        poison.record(cause);
    }

    MutexGuard<T> lockIgnoringPoison() {
        lock.lock();
        return new MutexGuard<>(this);
    }

    private MutexGuard<T> guardOrPoisoned() {
        Throwable cause = poison.cause();
        if (cause != null) {
            lock.unlock();              // never leak the lock through the exception
            throw new PoisonedException(this, cause);
        }
        return new MutexGuard<>(this);
    }

    /**
     * For Condvar.awaitAsync: the calling thread was handed the lock for a guard-owned waiter
     * (MutexCore's I3): the guard that holds it, or (poisoned) the lock released and the exception thrown.
     */
    MutexGuard<T> guardHandedOver() {
        RawMutex raw = rawMutex();
        RawMutexGuard g = new RawMutexGuard(raw, Thread.currentThread());
        raw.guardAcquired(g);
        return asyncGuardOrPoisoned(g);
    }

    /** For lockAsync, holding {@code g}: the guard, or (poisoned) the lock released and the exception thrown. */
    private MutexGuard<T> asyncGuardOrPoisoned(RawMutexGuard g) {
        Throwable cause = poison.cause();
        if (cause != null) {
            g.close();                  // never leak the lock through the exception
            throw new PoisonedException(this, cause);
        }
        return new MutexGuard<>(this, g);
    }

    @Override
    public String toString() {
        return Names.label(this) + "[" + (isPoisoned() ? "poisoned, " : "") + lock + "]";
    }

    /**
     * Names this mutex for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, lock-order and deadlock reports, and Lockstep's JFR events. Returns this
     * mutex, so a field can be named where it is created:
     * {@code private final Mutex<Long> balance = Mutex.of(0L).named("balance");}
     * The {@link #rawLock() lock} underneath gets the same name unless it has one.
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this mutex already has another name
     */
    public Mutex<T> named(String name) {
        Names.name(this, name);
        Names.nameIfUnnamed(lock, name);                 // threads park on it: blockers, JFR events
        return this;
    }

    /** This mutex's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
