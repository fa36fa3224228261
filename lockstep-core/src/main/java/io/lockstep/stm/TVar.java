package io.lockstep.stm;

import io.lockstep.internal.Deadline;
import io.lockstep.internal.Names;
import io.lockstep.park.ParkingLot;
import io.lockstep.park.SpinWait;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A transactional variable: read and written inside {@link Stm#atomically} transactions, which
 * see every TVar at one consistent moment and change them all or none.
 *
 * <pre>{@code
 * TVar<Long> checking = new TVar<>(100L), savings = new TVar<>(0L);
 * Stm.run(txn -> {
 *     txn.set(checking, txn.get(checking) - 30);
 *     txn.set(savings, txn.get(savings) + 30);
 * });
 * long total = Stm.atomically(txn -> txn.get(checking) + txn.get(savings));   // always 100
 * }</pre>
 *
 * <p>Values should be immutable (a TVar holds a reference; mutating the object it points to is
 * not transactional). Null values are allowed.
 *
 * <p><b>Memory effects.</b> Everything a transaction did before it committed happens-before every
 * transaction that reads a value it wrote.
 *
 * @param <T> the type of the value
 */
public final class TVar<T> {
    /*
     * Implementation notes.
     *
     * lock  (version bits 63..2)  WAITER  LOCKED
     *          v                    0       0     committed at version v, free
     *          v                    0       1     being committed (or held by an irrevocable
     *                                             transaction); v is the version before the lock
     *          v                    1       1     as above, and a transaction is parked waiting
     * Invariants:
     *   I1  `value` changes only while LOCKED is held; the release stores the new version.
     *   I2  WAITER is set only on a LOCKED word; whoever releases the lock sees it (getAndSet)
     *       and unparks this TVar's key, so a waiter is never stranded.
     *   I3  `waiters` holds the retry() waiters that read this TVar (created on the first one,
     *       then kept); a commit that writes it takes and wakes them all after releasing the
     *       lock, and a waiter that leaves any other way removes itself (RetryWaiter's notes).
     * Memory ordering: a reader loads lock, value, lock (all volatile); an unchanged, unlocked
     *   word proves the value belongs to that version (I1).
     */
    static final long LOCKED = 1, WAITER = 2, VERSION_STEP = 4;

    private static final VarHandle LOCK, WAITERS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LOCK = l.findVarHandle(TVar.class, "lock", long.class);
            WAITERS = l.findVarHandle(TVar.class, "waiters", RetryWaiter.WaitList.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long lock;
    private volatile T value;                                    // written under LOCKED (I1)
    private volatile RetryWaiter.WaitList waiters;               // I3; null until the first retry()

    /** A TVar holding {@code initial}. */
    public TVar(T initial) {
        this.value = initial;
    }

    /** Reads the value in the current transaction, or in a transaction of its own. */
    public T get() {
        Txn txn = Stm.current();
        return txn != null ? txn.get(this) : Stm.atomically(t -> t.get(this));
    }

    /** Writes the value in the current transaction, or in a transaction of its own. */
    public void set(T newValue) {
        Txn txn = Stm.current();
        if (txn != null) {
            txn.set(this, newValue);
        } else {
            Stm.run(t -> t.set(this, newValue));
        }
    }

    /**
     * Names this variable for reports: {@code toString()} and the diagnostics that print it. Returns
     * this variable, so a field can be named where it is created:
     * {@code private final TVar<Long> balance = new TVar<>(0L).named("balance");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this variable already has another name
     */
    public TVar<T> named(String name) {
        return Names.name(this, name);
    }

    /** This variable's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }

    @Override
    public String toString() {
        return Names.label(this) + "[" + value + "]";
    }

    // ---------------------------------------------------------------- for Txn

    long lockWord() {
        return lock;
    }

    T valueRelaxed() {
        return value;
    }

    static boolean isLocked(long word) {
        return (word & LOCKED) != 0;
    }

    static long version(long word) {
        return word >>> 2;
    }

    /** Takes the lock if it is free and at {@code word}; false otherwise. */
    boolean tryLock(long word) {
        return !isLocked(word) && LOCK.compareAndSet(this, word, word | LOCKED);
    }

    /** Takes the lock, waiting (bounded spin, then parked) while someone else holds it. */
    long lockBlocking() {
        for (;;) {
            long w = lock;
            if (tryLock(w)) return w;
            if (isLocked(w)) awaitUnlocked();
        }
    }

    /** Holder only: stores {@code newValue} (keeps I1). */
    void write(T newValue) {
        value = newValue;
    }

    /** Holder only: releases the lock at {@code version}, waking lock waiters (I2). */
    void unlock(long version) {
        long old = (long) LOCK.getAndSet(this, version << 2);
        if ((old & WAITER) != 0) ParkingLot.unparkAll(this);
    }

    /** Waits until the lock is released (or was already). */
    void awaitUnlocked() {
        SpinWait spin = new SpinWait();
        for (long w = lock; isLocked(w); w = lock) {
            if (spin.spin()) continue;
            long parked = w | WAITER;
            if (w != parked && !LOCK.compareAndSet(this, w, parked)) continue;
            ParkingLot.park(this, () -> lock == parked, null, null, ParkingLot.DEFAULT_PARK_TOKEN,
                    Deadline.NONE, false);
        }
    }

    /** Adds a retry() waiter (I3); the caller removes the registration when it stops waiting. */
    RetryWaiter.Registration addWaiter(RetryWaiter w) {
        RetryWaiter.WaitList list = waiters;
        if (list == null) {
            RetryWaiter.WaitList fresh = new RetryWaiter.WaitList();
            list = WAITERS.compareAndSet(this, null, fresh) ? fresh : waiters;
        }
        return list.add(w);
    }

    /** After a commit that wrote this TVar: wakes every retry() waiter (I3). */
    void wakeWaiters() {
        RetryWaiter.WaitList list = waiters;
        if (list != null) list.wakeAll();
    }

    /** How many retry() registrations this TVar holds (for tests and monitoring). */
    int waiterCount() {
        RetryWaiter.WaitList list = waiters;
        return list == null ? 0 : list.size();
    }
}
