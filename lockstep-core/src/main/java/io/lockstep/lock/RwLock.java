package io.lockstep.lock;

import static io.lockstep.internal.WaitOutcome.DONE;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.GuardedBy;
import io.lockstep.internal.Names;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A reader-writer lock that owns the data it protects, as Rust's {@code RwLock<T>}: many readers
 * or one writer reach the data, only through guards. Built on {@link RawRwLock}: fair,
 * write-preferring, with upgradable reads.
 *
 * <p>Before, with {@link java.util.concurrent.locks.ReentrantReadWriteLock} beside a field:
 * <pre>{@code
 * rw.readLock().lock();
 * try { return config.get(key); } finally { rw.readLock().unlock(); }
 * }</pre>
 * After:
 * <pre>{@code
 * RwLock<Map<String, String>> config = RwLock.of(new HashMap<>());
 * try (RwLockReadGuard<Map<String, String>> g = config.read()) {
 *     return g.get().get(key);
 * }
 * config.withWrite(m -> m.put(key, value));
 * try (RwLockUpgradableReadGuard<Map<String, String>> u = config.upgradableRead()) {
 *     if (!u.get().containsKey(key)) {
 *         try (RwLockWriteGuard<Map<String, String>> w = u.upgrade()) {   // nobody writes in between
 *             w.get().put(key, compute(key));
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p><b>Poisoning</b> is as {@link Mutex}'s: a {@link #withWrite}/{@link #update} body that
 * throws, a write guard's {@link RwLockWriteGuard#update update} that throws, or
 * {@link RwLockWriteGuard#poison} poisons the lock; every later lock, of any kind, throws
 * {@link PoisonedException} until {@link #clearPoison()}. A failing reader does not poison
 * (it cannot have changed the data). {@link PoisonedException#recoverWrite()} takes the lock anyway.
 *
 * <p><b>Memory effects:</b> writes through a write guard happen-before every later guard's reads.
 * Read guards must not be used to mutate the data (Java cannot stop it; the lock would not order it).
 *
 * <p>Misuse that would deadlock, the reader bias, and the differences from
 * {@link java.util.concurrent.locks.ReentrantReadWriteLock} are as {@link RawRwLock}'s: close a
 * read guard on the thread that took it, and upgrade through {@link #upgradableRead()}.
 */
public final class RwLock<T> {
    private final RawRwLock lock;
    @GuardedBy("lock") T data;
    private final Poison poison;

    private RwLock(RawRwLock lock, T data, boolean poisoning) {
        this.lock = lock;
        this.data = data;
        this.poison = new Poison(poisoning);
    }

    /** A poisoning reader-writer lock over {@code data}. */
    public static <T> RwLock<T> of(T data) {
        return new RwLock<>(new RawRwLock(), data, true);
    }

    /** A reader-writer lock that never poisons. */
    public static <T> RwLock<T> nonPoisoning(T data) {
        return new RwLock<>(new RawRwLock(), data, false);
    }

    // ---------------------------------------------------------------- read

    /** Blocks until a read lock is granted. @throws PoisonedException if poisoned */
    public RwLockReadGuard<T> read() {
        lock.lockRead();
        return readGuard();
    }

    /** A read lock even behind a waiting writer, for a thread that already holds one (see {@link RawRwLock#lockReadRecursive()}). */
    public RwLockReadGuard<T> readRecursive() {
        lock.lockReadRecursive();
        return readGuard();
    }

    /** As {@link #read()}, but an interrupt ends the wait. */
    public RwLockReadGuard<T> readInterruptibly() throws InterruptedException {
        lock.readLock().lockInterruptibly();
        return readGuard();
    }

    /** A read guard if available now; empty otherwise. */
    public Optional<RwLockReadGuard<T>> tryRead() {
        return lock.tryLockRead() ? Optional.of(readGuard()) : Optional.empty();
    }

    /** A read guard if granted within {@code timeout} (zero or negative: try once). */
    public Optional<RwLockReadGuard<T>> tryRead(Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        if (Thread.interrupted()) throw new InterruptedException();
        if (lock.tryLockRead()) return Optional.of(readGuard());
        int r = lock.acquireRead(deadline, true, false);
        RawRwLock.throwIfInterrupted(r);
        return r == DONE ? Optional.of(readGuard()) : Optional.empty();
    }

    /** Runs {@code body} on the data under a read lock; a failure does not poison. */
    public <R> R withRead(Function<? super T, ? extends R> body) {
        Objects.requireNonNull(body, "body");
        try (RwLockReadGuard<T> g = read()) {
            return body.apply(g.get());
        }
    }

    // ---------------------------------------------------------------- write

    /** Blocks until the write lock is held. @throws PoisonedException if poisoned */
    public RwLockWriteGuard<T> write() {
        lock.lockWrite();
        return writeGuard();
    }

    /** As {@link #write()}, but an interrupt ends the wait. */
    public RwLockWriteGuard<T> writeInterruptibly() throws InterruptedException {
        lock.writeLock().lockInterruptibly();
        return writeGuard();
    }

    /** The write guard if the lock is free now; empty otherwise. */
    public Optional<RwLockWriteGuard<T>> tryWrite() {
        return lock.tryLockWrite() ? Optional.of(writeGuard()) : Optional.empty();
    }

    /** The write guard if granted within {@code timeout} (zero or negative: try once). */
    public Optional<RwLockWriteGuard<T>> tryWrite(Duration timeout) throws InterruptedException {
        long deadline = Deadline.after(timeout);
        if (Thread.interrupted()) throw new InterruptedException();
        if (lock.tryLockWrite()) return Optional.of(writeGuard());
        int r = lock.acquireWrite(deadline, true);
        RawRwLock.throwIfInterrupted(r);
        if (r != DONE) return Optional.empty();
        lock.ownWrite();
        return Optional.of(writeGuard());
    }

    /** Runs {@code body} on the data under the write lock; if it throws, the lock is poisoned. */
    public <R> R withWrite(Function<? super T, ? extends R> body) {
        Objects.requireNonNull(body, "body");
        try (RwLockWriteGuard<T> g = write()) {
            try {
                return body.apply(g.get());
            } catch (Throwable t) {
                poison.record(t);
                throw t;
            }
        }
    }

    /** Replaces the data with {@code f} of it under the write lock; returns the new value. */
    public T update(UnaryOperator<T> f) {
        Objects.requireNonNull(f, "f");
        try (RwLockWriteGuard<T> g = write()) {
            return g.update(f);
        }
    }

    // ---------------------------------------------------------------- upgradable

    /** Blocks until the upgradable read lock is held (one at a time; plain readers share it). */
    public RwLockUpgradableReadGuard<T> upgradableRead() {
        lock.lockUpgradable();
        return upgradableGuard();
    }

    /** The upgradable read guard if available now; empty otherwise. */
    public Optional<RwLockUpgradableReadGuard<T>> tryUpgradableRead() {
        return lock.tryLockUpgradable() ? Optional.of(upgradableGuard()) : Optional.empty();
    }

    // ---------------------------------------------------------------- poison and raw

    /** Whether a failed writer has poisoned the lock. */
    public boolean isPoisoned() {
        return poison.cause() != null;
    }

    /** Declares the data consistent again. */
    public void clearPoison() {
        poison.clear();
    }

    /** The lock underneath, for monitoring. Do not lock it directly. */
    public RawRwLock rawLock() {
        return lock;
    }

    void poison(Throwable cause) {
        poison.record(cause);
    }

    RwLockWriteGuard<T> writeIgnoringPoison() {
        lock.lockWrite();
        return new RwLockWriteGuard<>(this);
    }

    private RwLockReadGuard<T> readGuard() {
        failIfPoisoned(lock::unlockRead);
        return new RwLockReadGuard<>(this);
    }

    private RwLockWriteGuard<T> writeGuard() {
        failIfPoisoned(lock::unlockWrite);
        return new RwLockWriteGuard<>(this);
    }

    private RwLockUpgradableReadGuard<T> upgradableGuard() {
        failIfPoisoned(lock::unlockUpgradable);
        return new RwLockUpgradableReadGuard<>(this);
    }

    /** Never leaks the lock through the exception. */
    private void failIfPoisoned(Runnable unlock) {
        Throwable cause = poison.cause();
        if (cause != null) {
            unlock.run();
            throw new PoisonedException(this, cause);
        }
    }

    @Override
    public String toString() {
        return Names.label(this) + "[" + (isPoisoned() ? "poisoned, " : "") + lock + "]";
    }

    /**
     * Names this lock for reports: {@code toString()}, the park blocker thread dumps show for
     * threads waiting on it, and Lockstep's JFR events. Returns this
     * lock, so a field can be named where it is created:
     * {@code private final RwLock<Config> config = RwLock.of(initial).named("config");}
     * The lock underneath gets the same name unless it has one.
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this lock already has another name
     */
    public RwLock<T> named(String name) {
        Names.name(this, name);
        Names.nameIfUnnamed(lock, name);                 // threads park on it: blockers, JFR events
        return this;
    }

    /** This lock's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }
}
