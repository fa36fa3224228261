package io.lockstep.lock;

import io.lockstep.internal.GuardedBy;
import io.lockstep.internal.Names;
import io.lockstep.internal.OnExecutor;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A reader-writer lock that owns the data it protects, as Rust's {@code RwLock<T>}: many readers
 * or one writer reach the data, only through guards. Built on {@link RawRwLock} by default: fair,
 * write-preferring, with upgradable reads and async forms. Any
 * {@link ReadWriteLock} can sit underneath instead ({@code RwLock.of(new ReentrantReadWriteLock(), data)}),
 * as any {@code Lock} can under {@link Mutex}; then the upgradable reads and the async forms,
 * which need {@code RawRwLock}'s state machine, throw {@link UnsupportedOperationException}.
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
    /*
     * Implementation notes. `raw` is `lock` when it is a RawRwLock (null otherwise): the
     * operations only RawRwLock has (upgradable reads, recursive reads behind a waiting writer,
     * guard-owned async holds) go through it; the rest go through the ReadWriteLock views, which
     * RawRwLock implements with the same code paths.
     */
    private final ReadWriteLock lock;
    private final RawRwLock raw;
    @GuardedBy("lock") T data;
    private final Poison poison;

    private RwLock(ReadWriteLock lock, T data, boolean poisoning) {
        this.lock = Objects.requireNonNull(lock, "lock");
        this.raw = lock instanceof RawRwLock r ? r : null;
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

    /**
     * A poisoning reader-writer lock over {@code lock}, which it now owns: do not use it
     * elsewhere. Over a lock other than {@link RawRwLock}, {@link #upgradableRead()} and the
     * {@code ...Async} forms throw {@link UnsupportedOperationException}, {@link #readRecursive()}
     * is a plain read (as reentrant as {@code lock}'s read lock), and
     * {@link RwLockWriteGuard#downgrade()} takes the read lock while holding the write lock
     * ({@link java.util.concurrent.locks.ReentrantReadWriteLock}'s downgrade; so only the
     * write holder may downgrade: a {@code ReentrantReadWriteLock} refuses another thread with
     * {@link IllegalMonitorStateException}, and another lock would block it behind the writer).
     */
    public static <T> RwLock<T> of(ReadWriteLock lock, T data) {
        return new RwLock<>(lock, data, true);
    }

    /** A reader-writer lock over {@code lock} (see {@link #of(ReadWriteLock, Object)}) that never poisons. */
    public static <T> RwLock<T> nonPoisoning(ReadWriteLock lock, T data) {
        return new RwLock<>(lock, data, false);
    }

    // ---------------------------------------------------------------- read

    /** Blocks until a read lock is granted. @throws PoisonedException if poisoned */
    public RwLockReadGuard<T> read() {
        lock.readLock().lock();
        return readGuard();
    }

    /**
     * A read lock even behind a waiting writer, for a thread that already holds one (see
     * {@link RawRwLock#lockReadRecursive()}); over another lock, its read lock's {@code lock()}.
     */
    public RwLockReadGuard<T> readRecursive() {
        if (raw != null) raw.lockReadRecursive();
        else lock.readLock().lock();
        return readGuard();
    }

    /** As {@link #read()}, but an interrupt ends the wait. */
    public RwLockReadGuard<T> readInterruptibly() throws InterruptedException {
        lock.readLock().lockInterruptibly();
        return readGuard();
    }

    /** A read guard if available now; empty otherwise. */
    public Optional<RwLockReadGuard<T>> tryRead() {
        return lock.readLock().tryLock() ? Optional.of(readGuard()) : Optional.empty();
    }

    /** A read guard if granted within {@code timeout} (zero or negative: try once). */
    public Optional<RwLockReadGuard<T>> tryRead(Duration timeout) throws InterruptedException {
        return tryTimed(lock.readLock(), timeout) ? Optional.of(readGuard()) : Optional.empty();
    }

    /**
     * Acquires a read lock without blocking a thread: the future completes with a read guard
     * that owns the hold (not a thread), which any thread may use and close. Same contract as
     * {@link RawRwLock#lockReadAsync()}: the request waits behind writers, in line with blocked
     * readers; cancel-safe (a cancel, {@code orTimeout} or {@code complete} loses nothing);
     * dependent stages run on the caller if the lock was available, else on the thread whose
     * release let the request in. Poisoned when granted: the lock is released and the future
     * fails with {@link PoisonedException}.
     *
     * @throws UnsupportedOperationException if the lock underneath is not a {@link RawRwLock}
     */
    public CompletableFuture<RwLockReadGuard<T>> readAsync() {
        return rawFor("readAsync").acquireAsync(RawRwLockGuard.Mode.READ,
                g -> guardOrPoisoned(g, () -> new RwLockReadGuard<>(this, g)));
    }

    /** As {@link #readAsync()}, with the future completed, and so dependent stages run, by {@code executor} (see {@link RawRwLock#lockReadAsync(Executor)}). */
    public CompletableFuture<RwLockReadGuard<T>> readAsync(Executor executor) {
        rawFor("readAsync");
        return OnExecutor.complete(this::readAsync, executor);
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
        lock.writeLock().lock();
        return writeGuard();
    }

    /** As {@link #write()}, but an interrupt ends the wait. */
    public RwLockWriteGuard<T> writeInterruptibly() throws InterruptedException {
        lock.writeLock().lockInterruptibly();
        return writeGuard();
    }

    /** The write guard if the lock is free now; empty otherwise. */
    public Optional<RwLockWriteGuard<T>> tryWrite() {
        return lock.writeLock().tryLock() ? Optional.of(writeGuard()) : Optional.empty();
    }

    /** The write guard if granted within {@code timeout} (zero or negative: try once). */
    public Optional<RwLockWriteGuard<T>> tryWrite(Duration timeout) throws InterruptedException {
        return tryTimed(lock.writeLock(), timeout) ? Optional.of(writeGuard()) : Optional.empty();
    }

    /**
     * Acquires the write lock without blocking a thread: the future completes with a write guard
     * that owns the hold, which any thread may use and close. As {@link #readAsync()} otherwise
     * (see {@link RawRwLock#lockWriteAsync()}: dependent stages run on the caller if the lock was
     * free, else on the thread whose release, a writer's unlock or the last reader's, let it in).
     *
     * @throws UnsupportedOperationException if the lock underneath is not a {@link RawRwLock}
     */
    public CompletableFuture<RwLockWriteGuard<T>> writeAsync() {
        return rawFor("writeAsync").acquireAsync(RawRwLockGuard.Mode.WRITE,
                g -> guardOrPoisoned(g, () -> new RwLockWriteGuard<>(this, g)));
    }

    /** As {@link #writeAsync()}, with the future completed, and so dependent stages run, by {@code executor}. */
    public CompletableFuture<RwLockWriteGuard<T>> writeAsync(Executor executor) {
        rawFor("writeAsync");
        return OnExecutor.complete(this::writeAsync, executor);
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
        rawFor("upgradableRead").lockUpgradable();
        return upgradableGuard();
    }

    /** The upgradable read guard if available now; empty otherwise. */
    public Optional<RwLockUpgradableReadGuard<T>> tryUpgradableRead() {
        return rawFor("tryUpgradableRead").tryLockUpgradable() ? Optional.of(upgradableGuard()) : Optional.empty();
    }

    /**
     * Acquires the upgradable read lock without blocking a thread: the future completes with a
     * guard that owns the hold, which any thread may use, upgrade and close. As
     * {@link #readAsync()} otherwise. The guard's {@link RwLockUpgradableReadGuard#upgrade()}
     * blocks the thread that calls it until the plain readers leave.
     *
     * @throws UnsupportedOperationException if the lock underneath is not a {@link RawRwLock}
     */
    public CompletableFuture<RwLockUpgradableReadGuard<T>> upgradableReadAsync() {
        return rawFor("upgradableReadAsync").acquireAsync(RawRwLockGuard.Mode.UPGRADABLE,
                g -> guardOrPoisoned(g, () -> new RwLockUpgradableReadGuard<>(this, g)));
    }

    /** As {@link #upgradableReadAsync()}, with the future completed, and so dependent stages run, by {@code executor}. */
    public CompletableFuture<RwLockUpgradableReadGuard<T>> upgradableReadAsync(Executor executor) {
        rawFor("upgradableReadAsync");
        return OnExecutor.complete(this::upgradableReadAsync, executor);
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

    /** The lock underneath, for monitoring (a {@link RawRwLock} unless another was given). Do not lock it directly. */
    public ReadWriteLock rawLock() {
        return lock;
    }

    void poison(Throwable cause) {
        poison.record(cause);
    }

    RwLockWriteGuard<T> writeIgnoringPoison() {
        lock.writeLock().lock();
        return new RwLockWriteGuard<>(this, null);
    }

    // ---------------------------------------------------------------- for the guards (thread-owned holds)

    void unlockRead() {
        lock.readLock().unlock();
    }

    void unlockWrite() {
        lock.writeLock().unlock();
    }

    /** Write to read with nobody writing in between: RawRwLock's downgrade, or RRWL's (read lock, then write unlock). */
    void downgradeWrite() {
        if (raw != null) {
            raw.downgrade();
            return;
        }
        Lock w = lock.writeLock();
        if (w instanceof java.util.concurrent.locks.ReentrantReadWriteLock.WriteLock rw && !rw.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("downgrade by " + Thread.currentThread() + ", which does not hold the write lock");
        }
        lock.readLock().lock();
        w.unlock();
    }

    /** The RawRwLock for the upgradable operations (its guards exist only over one). */
    RawRwLock upgradableLock() {
        return raw;
    }

    // ---------------------------------------------------------------- helpers

    private static boolean tryTimed(Lock l, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = timeout.isNegative() ? 0 : Long.MAX_VALUE;
        }
        return l.tryLock(nanos, TimeUnit.NANOSECONDS);
    }

    private RawRwLock rawFor(String what) {
        if (raw == null) {
            throw new UnsupportedOperationException(what + " needs a RawRwLock under the RwLock (upgradable reads and "
                    + "guard-owned async holds are its own); this one is over a " + lock.getClass().getName());
        }
        return raw;
    }

    private RwLockReadGuard<T> readGuard() {
        failIfPoisoned(this::unlockRead);
        return new RwLockReadGuard<>(this, null);
    }

    private RwLockWriteGuard<T> writeGuard() {
        failIfPoisoned(this::unlockWrite);
        return new RwLockWriteGuard<>(this, null);
    }

    private RwLockUpgradableReadGuard<T> upgradableGuard() {
        failIfPoisoned(raw::unlockUpgradable);
        return new RwLockUpgradableReadGuard<>(this, null);
    }

    /** For the async forms, holding {@code g}: the guard, or (poisoned) the hold released and the exception thrown. */
    private <G> G guardOrPoisoned(RawRwLockGuard g, java.util.function.Supplier<G> guard) {
        failIfPoisoned(g::close);
        return guard.get();
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
