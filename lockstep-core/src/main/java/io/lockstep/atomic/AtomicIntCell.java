package io.lockstep.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.IntUnaryOperator;

/**
 * An {@code int} updated atomically, with an explicit {@link Ordering} on every operation, as
 * Rust's {@code AtomicI32}.
 *
 * <pre>{@code
 * AtomicIntCell hits = new AtomicIntCell(0);
 * hits.fetchAdd(1, Ordering.RELAXED);                  // a statistic: atomicity is enough
 * int seen = hits.load(Ordering.RELAXED);
 *
 * AtomicIntCell state = new AtomicIntCell(0);
 * int witness = state.compareExchange(0, 1, Ordering.ACQ_REL, Ordering.ACQUIRE);
 * boolean won = witness == 0;                          // the witness is the value found
 * }</pre>
 * Compared with {@link java.util.concurrent.atomic.AtomicInteger}: the same VarHandle operations,
 * named for what they order, with the Rust misuse checks (an {@code ACQUIRE} store or a
 * {@code RELEASE} load throws {@link IllegalArgumentException}) and a witness-returning
 * compare-exchange. Arithmetic wraps around on overflow, as in Rust's {@code wrapping} methods.
 *
 * <p><b>Memory effects:</b> as the {@link Ordering} argument of each operation says; a
 * {@code RELEASE} (or stronger) write happens-before an {@code ACQUIRE} (or stronger) read that
 * sees it. With {@link Ordering#SEQ_CST} everywhere it behaves like {@code AtomicInteger}.
 */
public final class AtomicIntCell {
    /*
     * Implementation notes.
     *
     * Each method tests the ordering by identity (ordering == Ordering.ACQUIRE), likeliest case
     * first, and calls the VarHandle access mode of the table in Ordering. The ordering is almost
     * always a constant at the call site, so after inlining C2 keeps only one branch: the cost is
     * the raw VarHandle's (AtomicBench checks this, target within 5%). Misuse branches build
     * their exception in Ordering, out of line.
     *
     * Tried and rejected: enum switch. javac compiles switch (ordering) to a lookup in a synthetic
     * $SwitchMap int[] indexed by ordinal(); C2 folds neither the array element nor ordinal(), so
     * every call paid dependent loads and branches (0.70x raw VarHandle on load(ACQUIRE), 0.51x
     * on store(RELEASE)).
     */
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(AtomicIntCell.class, "value", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int value;

    /** A cell holding {@code initial}. */
    public AtomicIntCell(int initial) {
        value = initial;
    }

    /** Reads the value. @throws IllegalArgumentException for RELEASE or ACQ_REL */
    public int load(Ordering ordering) {
        if (ordering == Ordering.ACQUIRE) return (int) VALUE.getAcquire(this);
        if (ordering == Ordering.RELAXED) return (int) VALUE.getOpaque(this);
        if (ordering == Ordering.SEQ_CST) return (int) VALUE.getVolatile(this);
        throw Ordering.badLoad(ordering); // RELEASE, ACQ_REL; null
    }

    /** Writes the value. @throws IllegalArgumentException for ACQUIRE or ACQ_REL */
    public void store(int v, Ordering ordering) {
        if (ordering == Ordering.RELEASE) VALUE.setRelease(this, v);
        else if (ordering == Ordering.RELAXED) VALUE.setOpaque(this, v);
        else if (ordering == Ordering.SEQ_CST) VALUE.setVolatile(this, v);
        else throw Ordering.badStore(ordering); // ACQUIRE, ACQ_REL; null
    }

    /** Writes {@code v} and returns the previous value, atomically. */
    public int swap(int v, Ordering ordering) {
        if (Ordering.acquireRmw(ordering)) return (int) VALUE.getAndSetAcquire(this, v); // RELAXED, ACQUIRE
        if (ordering == Ordering.RELEASE) return (int) VALUE.getAndSetRelease(this, v);
        return (int) VALUE.getAndSet(this, v); // ACQ_REL, SEQ_CST
    }

    /**
     * Writes {@code desired} if the value is {@code expected}; returns the value found (the
     * witness), which equals {@code expected} exactly when the write happened.
     *
     * @param success the ordering of the read-modify-write when it succeeds
     * @param failure the ordering of the load when it fails: RELAXED, ACQUIRE or SEQ_CST
     * @throws IllegalArgumentException if {@code failure} is RELEASE or ACQ_REL
     */
    public int compareExchange(int expected, int desired, Ordering success, Ordering failure) {
        Ordering mode = Ordering.forExchange(success, failure);
        if (mode == Ordering.SEQ_CST) return (int) VALUE.compareAndExchange(this, expected, desired);
        if (mode == Ordering.ACQUIRE) return (int) VALUE.compareAndExchangeAcquire(this, expected, desired);
        return (int) VALUE.compareAndExchangeRelease(this, expected, desired); // RELEASE
    }

    /**
     * As {@link #compareExchange} but may fail spuriously (cheaper in a retry loop on some CPUs).
     * Returns whether the write happened; Java's weak CAS reports no witness, so reload on failure.
     *
     * @throws IllegalArgumentException if {@code failure} is RELEASE or ACQ_REL
     */
    public boolean compareExchangeWeak(int expected, int desired, Ordering success, Ordering failure) {
        Ordering mode = Ordering.forExchange(success, failure);
        if (mode == Ordering.SEQ_CST) return VALUE.weakCompareAndSet(this, expected, desired);
        if (mode == Ordering.ACQUIRE) return VALUE.weakCompareAndSetAcquire(this, expected, desired);
        return VALUE.weakCompareAndSetRelease(this, expected, desired); // RELEASE
    }

    /** Adds {@code delta} (wrapping) and returns the previous value. */
    public int fetchAdd(int delta, Ordering ordering) {
        if (Ordering.acquireRmw(ordering)) return (int) VALUE.getAndAddAcquire(this, delta); // RELAXED, ACQUIRE
        if (ordering == Ordering.RELEASE) return (int) VALUE.getAndAddRelease(this, delta);
        return (int) VALUE.getAndAdd(this, delta); // ACQ_REL, SEQ_CST
    }

    /** Subtracts {@code delta} (wrapping) and returns the previous value. */
    public int fetchSub(int delta, Ordering ordering) {
        return fetchAdd(-delta, ordering);
    }

    /** Bitwise-ands {@code mask} in and returns the previous value. */
    public int fetchAnd(int mask, Ordering ordering) {
        if (Ordering.acquireRmw(ordering)) return (int) VALUE.getAndBitwiseAndAcquire(this, mask); // RELAXED, ACQUIRE
        if (ordering == Ordering.RELEASE) return (int) VALUE.getAndBitwiseAndRelease(this, mask);
        return (int) VALUE.getAndBitwiseAnd(this, mask); // ACQ_REL, SEQ_CST
    }

    /** Bitwise-ors {@code mask} in and returns the previous value. */
    public int fetchOr(int mask, Ordering ordering) {
        if (Ordering.acquireRmw(ordering)) return (int) VALUE.getAndBitwiseOrAcquire(this, mask); // RELAXED, ACQUIRE
        if (ordering == Ordering.RELEASE) return (int) VALUE.getAndBitwiseOrRelease(this, mask);
        return (int) VALUE.getAndBitwiseOr(this, mask); // ACQ_REL, SEQ_CST
    }

    /** Bitwise-xors {@code mask} in and returns the previous value. */
    public int fetchXor(int mask, Ordering ordering) {
        if (Ordering.acquireRmw(ordering)) return (int) VALUE.getAndBitwiseXorAcquire(this, mask); // RELAXED, ACQUIRE
        if (ordering == Ordering.RELEASE) return (int) VALUE.getAndBitwiseXorRelease(this, mask);
        return (int) VALUE.getAndBitwiseXor(this, mask); // ACQ_REL, SEQ_CST
    }

    /** Stores the maximum of the value and {@code v}; returns the previous value. */
    public int fetchMax(int v, Ordering ordering) {
        return fetchUpdate(x -> Math.max(x, v), ordering);
    }

    /** Stores the minimum of the value and {@code v}; returns the previous value. */
    public int fetchMin(int v, Ordering ordering) {
        return fetchUpdate(x -> Math.min(x, v), ordering);
    }

    /**
     * Replaces the value with {@code f(value)} by a compare-exchange loop and returns the previous
     * value. {@code f} may run several times under contention, so it must be free of side
     * effects. {@code ordering} is the ordering of the successful write; reads use its load part
     * (RELEASE reads RELAXED, ACQ_REL reads ACQUIRE), as Rust's {@code fetch_update}.
     */
    public int fetchUpdate(IntUnaryOperator f, Ordering ordering) {
        if (f == null) throw new NullPointerException("f");
        Ordering read = ordering.loadPart();
        int prev = load(read);
        for (;;) {
            int next = f.applyAsInt(prev);
            int witness = compareExchange(prev, next, ordering, read);
            if (witness == prev) return prev;
            prev = witness;
        }
    }

    /** The value, read with {@link Ordering#SEQ_CST}, as a string. */
    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
