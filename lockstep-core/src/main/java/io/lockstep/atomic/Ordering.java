package io.lockstep.atomic;

/**
 * Memory orderings for the atomic cells, with Rust's names and rules (C++20's model), each
 * mapped onto a {@link java.lang.invoke.VarHandle} access mode. See the package documentation for
 * the happens-before rules and examples.
 *
 * <table>
 *   <caption>Which orderings each kind of operation accepts, and the VarHandle mode used</caption>
 *   <tr><th></th><th>load</th><th>store</th><th>read-modify-write (swap, fetchAdd, CAS success)</th></tr>
 *   <tr><td>{@link #RELAXED}</td><td>getOpaque</td><td>setOpaque</td><td>getAndAddAcquire, ... (Java has no relaxed RMW; the acquire form is the cheapest)</td></tr>
 *   <tr><td>{@link #ACQUIRE}</td><td>getAcquire</td><td><em>throws</em></td><td>getAndAddAcquire, ...</td></tr>
 *   <tr><td>{@link #RELEASE}</td><td><em>throws</em></td><td>setRelease</td><td>getAndAddRelease, ...</td></tr>
 *   <tr><td>{@link #ACQ_REL}</td><td><em>throws</em></td><td><em>throws</em></td><td>getAndAdd, ... (volatile: Java has no acq-rel RMW)</td></tr>
 *   <tr><td>{@link #SEQ_CST}</td><td>getVolatile</td><td>setVolatile</td><td>getAndAdd, ...</td></tr>
 * </table>
 * A compare-exchange's failure ordering is a load: {@code RELEASE} and {@code ACQ_REL} throw.
 * Where Java offers only a stronger mode the stronger one is used, which is always allowed.
 *
 * <pre>{@code
 * AtomicIntCell ready = new AtomicIntCell(0);
 * data = 42;                                  // plain write
 * ready.store(1, Ordering.RELEASE);           // publishes it
 * // other thread:
 * if (ready.load(Ordering.ACQUIRE) == 1) assert data == 42;
 * }</pre>
 *
 * <p><b>Memory effects:</b> as described per constant and in the package documentation.
 */
public enum Ordering {
    /** Atomicity and per-variable coherence only: orders nothing else. Counters, statistics. */
    RELAXED,
    /** For loads: no later read or write of this thread moves before it; pairs with a RELEASE. */
    ACQUIRE,
    /** For stores: no earlier read or write of this thread moves after it; pairs with an ACQUIRE. */
    RELEASE,
    /** For read-modify-writes: both ACQUIRE (the read) and RELEASE (the write). */
    ACQ_REL,
    /** ACQUIRE/RELEASE plus one total order of all SEQ_CST operations that every thread agrees on. */
    SEQ_CST;

    /*
     * Dispatch helpers for the cells. Every check is a reference comparison (o == ACQUIRE), never
     * a switch: javac compiles an enum switch to a lookup in a synthetic $SwitchMap int[] indexed
     * by ordinal(), which C2 cannot fold even for a constant ordering, while an identity check on
     * a constant folds away after inlining. Exceptions are built out of line to keep the callers
     * small enough to inline. Tried and rejected: enum switch (0.70x raw VarHandle on
     * load(ACQUIRE), 0.51x on store(RELEASE) in AtomicBench).
     */

    /** The exception for a load with {@code o}: NullPointerException for null, else IllegalArgumentException. */
    static RuntimeException badLoad(Ordering o) {
        if (o == null) return new NullPointerException("ordering");
        return new IllegalArgumentException("there is no such thing as a " + o
                + " load: use RELAXED, ACQUIRE or SEQ_CST (Rust panics here too)");
    }

    /** The exception for a store with {@code o}: NullPointerException for null, else IllegalArgumentException. */
    static RuntimeException badStore(Ordering o) {
        if (o == null) return new NullPointerException("ordering");
        return new IllegalArgumentException("there is no such thing as an " + o
                + " store: use RELAXED, RELEASE or SEQ_CST (Rust panics here too)");
    }

    /**
     * Whether a read-modify-write with {@code o} uses the VarHandle acquire mode (RELAXED or
     * ACQUIRE: Java has no relaxed RMW). Otherwise RELEASE uses the release mode and ACQ_REL or
     * SEQ_CST the volatile one. @throws NullPointerException if {@code o} is null
     */
    static boolean acquireRmw(Ordering o) {
        if (o == RELAXED || o == ACQUIRE) return true;
        if (o == null) throw new NullPointerException("ordering");
        return false;
    }

    /**
     * The single ordering a strong compare-exchange runs with, given its success and failure
     * orderings: SEQ_CST if either is SEQ_CST or the pair needs both acquire and release,
     * ACQUIRE if it needs acquire (or nothing: Java has no relaxed CAS), else RELEASE.
     */
    static Ordering forExchange(Ordering success, Ordering failure) {
        if (success == null) throw new NullPointerException("success ordering");
        if (failure == null) throw new NullPointerException("failure ordering");
        if (failure == RELEASE || failure == ACQ_REL) throw badFailure(failure);
        if (success == SEQ_CST || failure == SEQ_CST) return SEQ_CST;
        boolean acquire = success == ACQUIRE || success == ACQ_REL || failure == ACQUIRE;
        boolean release = success == RELEASE || success == ACQ_REL;
        if (acquire && release) return SEQ_CST;
        return release ? RELEASE : ACQUIRE;
    }

    private static IllegalArgumentException badFailure(Ordering failure) {
        return new IllegalArgumentException("a compare-exchange failure ordering is a load: "
                + failure + " is not allowed (use RELAXED, ACQUIRE or SEQ_CST; Rust panics here too)");
    }

    /** The load ordering a read-modify-write retries with after a failed CAS (Rust's rule). */
    Ordering loadPart() {
        if (this == RELEASE) return RELAXED;
        if (this == ACQ_REL) return ACQUIRE;
        return this;
    }
}
