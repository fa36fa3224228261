package io.lockstep.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongUnaryOperator;

/**
 * A {@code long} updated atomically, with an explicit {@link Ordering} on every operation, as
 * Rust's {@code AtomicI64}.
 *
 * <pre>{@code
 * AtomicLongCell hits = new AtomicLongCell(0);
 * hits.fetchAdd(1, Ordering.RELAXED);                  // a statistic: atomicity is enough
 * long seen = hits.load(Ordering.RELAXED);
 *
 * AtomicLongCell state = new AtomicLongCell(0);
 * long witness = state.compareExchange(0, 1, Ordering.ACQ_REL, Ordering.ACQUIRE);
 * boolean won = witness == 0;                          // the witness is the value found
 * }</pre>
 * Compared with {@link java.util.concurrent.atomic.AtomicLong}: the same VarHandle operations,
 * named for what they order, with the Rust misuse checks (an {@code ACQUIRE} store or a
 * {@code RELEASE} load throws {@link IllegalArgumentException}) and a witness-returning
 * compare-exchange. Arithmetic wraps around on overflow, as in Rust's {@code wrapping} methods.
 *
 * <p><b>Memory effects:</b> as the {@link Ordering} argument of each operation says; a
 * {@code RELEASE} (or stronger) write happens-before an {@code ACQUIRE} (or stronger) read that
 * sees it. With {@link Ordering#SEQ_CST} everywhere it behaves like {@code AtomicLong}.
 */
public final class AtomicLongCell {
    /*
     * Implementation notes.
     *
     * Each method switches on the ordering and calls the VarHandle access mode of the table in
     * Ordering. The switch is over an enum and the ordering is almost always a constant at the
     * call site, so after inlining C2 keeps only one branch: the cost is the raw VarHandle's
     * (AtomicBench checks this, target within 5%). Misuse branches build their exception in
     * Ordering, out of line.
     */
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(AtomicLongCell.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long value;

    /** A cell holding {@code initial}. */
    public AtomicLongCell(long initial) {
        value = initial;
    }

    /** Reads the value. @throws IllegalArgumentException for RELEASE or ACQ_REL */
    public long load(Ordering ordering) {
        return switch (ordering) {
            case RELAXED -> (long) VALUE.getOpaque(this);
            case ACQUIRE -> (long) VALUE.getAcquire(this);
            case SEQ_CST -> (long) VALUE.getVolatile(this);
            case RELEASE, ACQ_REL -> throw Ordering.badLoad(ordering);
        };
    }

    /** Writes the value. @throws IllegalArgumentException for ACQUIRE or ACQ_REL */
    public void store(long v, Ordering ordering) {
        switch (ordering) {
            case RELAXED -> VALUE.setOpaque(this, v);
            case RELEASE -> VALUE.setRelease(this, v);
            case SEQ_CST -> VALUE.setVolatile(this, v);
            case ACQUIRE, ACQ_REL -> throw Ordering.badStore(ordering);
        }
    }

    /** Writes {@code v} and returns the previous value, atomically. */
    public long swap(long v, Ordering ordering) {
        return switch (ordering) {
            case RELAXED, ACQUIRE -> (long) VALUE.getAndSetAcquire(this, v);
            case RELEASE -> (long) VALUE.getAndSetRelease(this, v);
            case ACQ_REL, SEQ_CST -> (long) VALUE.getAndSet(this, v);
        };
    }

    /**
     * Writes {@code desired} if the value is {@code expected}; returns the value found (the
     * witness), which equals {@code expected} exactly when the write happened.
     *
     * @param success the ordering of the read-modify-write when it succeeds
     * @param failure the ordering of the load when it fails: RELAXED, ACQUIRE or SEQ_CST
     * @throws IllegalArgumentException if {@code failure} is RELEASE or ACQ_REL
     */
    public long compareExchange(long expected, long desired, Ordering success, Ordering failure) {
        return switch (Ordering.forExchange(success, failure)) {
            case ACQUIRE -> (long) VALUE.compareAndExchangeAcquire(this, expected, desired);
            case RELEASE -> (long) VALUE.compareAndExchangeRelease(this, expected, desired);
            default -> (long) VALUE.compareAndExchange(this, expected, desired);
        };
    }

    /**
     * As {@link #compareExchange} but may fail spuriously (cheaper in a retry loop on some CPUs).
     * Returns whether the write happened; Java's weak CAS reports no witness, so reload on failure.
     *
     * @throws IllegalArgumentException if {@code failure} is RELEASE or ACQ_REL
     */
    public boolean compareExchangeWeak(long expected, long desired, Ordering success, Ordering failure) {
        return switch (Ordering.forExchange(success, failure)) {
            case ACQUIRE -> VALUE.weakCompareAndSetAcquire(this, expected, desired);
            case RELEASE -> VALUE.weakCompareAndSetRelease(this, expected, desired);
            default -> VALUE.weakCompareAndSet(this, expected, desired);
        };
    }

    /** Adds {@code delta} (wrapping) and returns the previous value. */
    public long fetchAdd(long delta, Ordering ordering) {
        return switch (ordering) {
            case RELAXED, ACQUIRE -> (long) VALUE.getAndAddAcquire(this, delta);
            case RELEASE -> (long) VALUE.getAndAddRelease(this, delta);
            case ACQ_REL, SEQ_CST -> (long) VALUE.getAndAdd(this, delta);
        };
    }

    /** Subtracts {@code delta} (wrapping) and returns the previous value. */
    public long fetchSub(long delta, Ordering ordering) {
        return fetchAdd(-delta, ordering);
    }

    /** Bitwise-ands {@code mask} in and returns the previous value. */
    public long fetchAnd(long mask, Ordering ordering) {
        return switch (ordering) {
            case RELAXED, ACQUIRE -> (long) VALUE.getAndBitwiseAndAcquire(this, mask);
            case RELEASE -> (long) VALUE.getAndBitwiseAndRelease(this, mask);
            case ACQ_REL, SEQ_CST -> (long) VALUE.getAndBitwiseAnd(this, mask);
        };
    }

    /** Bitwise-ors {@code mask} in and returns the previous value. */
    public long fetchOr(long mask, Ordering ordering) {
        return switch (ordering) {
            case RELAXED, ACQUIRE -> (long) VALUE.getAndBitwiseOrAcquire(this, mask);
            case RELEASE -> (long) VALUE.getAndBitwiseOrRelease(this, mask);
            case ACQ_REL, SEQ_CST -> (long) VALUE.getAndBitwiseOr(this, mask);
        };
    }

    /** Bitwise-xors {@code mask} in and returns the previous value. */
    public long fetchXor(long mask, Ordering ordering) {
        return switch (ordering) {
            case RELAXED, ACQUIRE -> (long) VALUE.getAndBitwiseXorAcquire(this, mask);
            case RELEASE -> (long) VALUE.getAndBitwiseXorRelease(this, mask);
            case ACQ_REL, SEQ_CST -> (long) VALUE.getAndBitwiseXor(this, mask);
        };
    }

    /** Stores the maximum of the value and {@code v}; returns the previous value. */
    public long fetchMax(long v, Ordering ordering) {
        return fetchUpdate(x -> Math.max(x, v), ordering);
    }

    /** Stores the minimum of the value and {@code v}; returns the previous value. */
    public long fetchMin(long v, Ordering ordering) {
        return fetchUpdate(x -> Math.min(x, v), ordering);
    }

    /**
     * Replaces the value with {@code f(value)} by a compare-exchange loop and returns the previous
     * value. {@code f} may run several times under contention, so it must be free of side
     * effects. {@code ordering} is the ordering of the successful write; reads use its load part
     * (RELEASE reads RELAXED, ACQ_REL reads ACQUIRE), as Rust's {@code fetch_update}.
     */
    public long fetchUpdate(LongUnaryOperator f, Ordering ordering) {
        if (f == null) throw new NullPointerException("f");
        Ordering read = ordering.loadPart();
        long prev = load(read);
        for (;;) {
            long next = f.applyAsLong(prev);
            long witness = compareExchange(prev, next, ordering, read);
            if (witness == prev) return prev;
            prev = witness;
        }
    }

    /** The value, read with {@link Ordering#SEQ_CST}, as a string. */
    @Override
    public String toString() {
        return Long.toString(value);
    }
}
