package io.lockstep.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.UnaryOperator;

/**
 * A reference updated atomically, with an explicit {@link Ordering} on every operation: Rust's
 * {@code AtomicPtr} for Java objects, or crossbeam's {@code AtomicCell<T>}.
 *
 * <pre>{@code
 * record Config(int timeoutMs, List<String> hosts) {}
 * AtomicCell<Config> current = new AtomicCell<>(new Config(100, List.of("a")));
 *
 * // writer: build a new immutable value, then publish it
 * current.store(new Config(200, List.of("a", "b")), Ordering.RELEASE);
 * // readers: the acquire load sees the whole Config the writer built
 * Config c = current.load(Ordering.ACQUIRE);
 *
 * current.fetchUpdate(c -> new Config(c.timeoutMs() * 2, c.hosts()), Ordering.ACQ_REL);
 * }</pre>
 * {@link #compareExchange} compares by identity ({@code ==}), as every reference CAS in Java
 * does; for value types, keep one canonical instance or use {@link AtomicIntCell} /
 * {@link AtomicLongCell}. {@code null} is an ordinary value.
 *
 * <p><b>Memory effects:</b> as the {@link Ordering} argument of each operation says; everything
 * a thread wrote before a {@code RELEASE} store of a reference is visible to a thread whose
 * {@code ACQUIRE} load returns that reference (safe publication of mutable objects, too).
 */
public final class AtomicCell<T> {
    /*
     * Implementation notes: as AtomicLongCell (identity checks on the ordering, folded by C2 when
     * it is constant); the reference is an Object field cast on the way out.
     *
     * Tried and rejected: enum switch on the ordering (a $SwitchMap lookup C2 cannot fold; see
     * AtomicLongCell).
     */
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(AtomicCell.class, "value", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Object value;

    /** A cell holding {@code initial} (may be null). */
    public AtomicCell(T initial) {
        value = initial;
    }

    /** Reads the reference. @throws IllegalArgumentException for RELEASE or ACQ_REL */
    @SuppressWarnings("unchecked")
    public T load(Ordering ordering) {
        if (ordering == Ordering.ACQUIRE) return (T) VALUE.getAcquire(this);
        if (ordering == Ordering.RELAXED) return (T) VALUE.getOpaque(this);
        if (ordering == Ordering.SEQ_CST) return (T) VALUE.getVolatile(this);
        throw Ordering.badLoad(ordering); // RELEASE, ACQ_REL; null
    }

    /** Writes the reference. @throws IllegalArgumentException for ACQUIRE or ACQ_REL */
    public void store(T v, Ordering ordering) {
        if (ordering == Ordering.RELEASE) VALUE.setRelease(this, v);
        else if (ordering == Ordering.RELAXED) VALUE.setOpaque(this, v);
        else if (ordering == Ordering.SEQ_CST) VALUE.setVolatile(this, v);
        else throw Ordering.badStore(ordering); // ACQUIRE, ACQ_REL; null
    }

    /** Writes {@code v} and returns the previous reference, atomically. */
    @SuppressWarnings("unchecked")
    public T swap(T v, Ordering ordering) {
        if (Ordering.acquireRmw(ordering)) return (T) VALUE.getAndSetAcquire(this, v); // RELAXED, ACQUIRE
        if (ordering == Ordering.RELEASE) return (T) VALUE.getAndSetRelease(this, v);
        return (T) VALUE.getAndSet(this, v); // ACQ_REL, SEQ_CST
    }

    /**
     * Writes {@code desired} if the reference is {@code expected} (by identity); returns the
     * reference found (the witness), which is {@code expected} exactly when the write happened.
     *
     * @throws IllegalArgumentException if {@code failure} is RELEASE or ACQ_REL
     */
    @SuppressWarnings("unchecked")
    public T compareExchange(T expected, T desired, Ordering success, Ordering failure) {
        Ordering mode = Ordering.forExchange(success, failure);
        if (mode == Ordering.SEQ_CST) return (T) VALUE.compareAndExchange(this, expected, desired);
        if (mode == Ordering.ACQUIRE) return (T) VALUE.compareAndExchangeAcquire(this, expected, desired);
        return (T) VALUE.compareAndExchangeRelease(this, expected, desired); // RELEASE
    }

    /**
     * As {@link #compareExchange} but may fail spuriously; returns whether the write happened
     * (Java's weak CAS reports no witness).
     *
     * @throws IllegalArgumentException if {@code failure} is RELEASE or ACQ_REL
     */
    public boolean compareExchangeWeak(T expected, T desired, Ordering success, Ordering failure) {
        Ordering mode = Ordering.forExchange(success, failure);
        if (mode == Ordering.SEQ_CST) return VALUE.weakCompareAndSet(this, expected, desired);
        if (mode == Ordering.ACQUIRE) return VALUE.weakCompareAndSetAcquire(this, expected, desired);
        return VALUE.weakCompareAndSetRelease(this, expected, desired); // RELEASE
    }

    /**
     * Replaces the reference with {@code f(reference)} by a compare-exchange loop and returns the
     * previous one. {@code f} may run several times, so it must be free of side effects.
     * {@code ordering} orders the successful write; reads use its load part.
     */
    public T fetchUpdate(UnaryOperator<T> f, Ordering ordering) {
        if (f == null) throw new NullPointerException("f");
        Ordering read = ordering.loadPart();
        T prev = load(read);
        for (;;) {
            T witness = compareExchange(prev, f.apply(prev), ordering, read);
            if (witness == prev) return prev;
            prev = witness;
        }
    }

    /** The current reference's string form. */
    @Override
    public String toString() {
        return String.valueOf(value);
    }
}
