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

    /** Throws unless this ordering is allowed for a load (also a compare-exchange's failure ordering). */
    static IllegalArgumentException badLoad(Ordering o) {
        return new IllegalArgumentException("there is no such thing as a " + o
                + " load: use RELAXED, ACQUIRE or SEQ_CST (Rust panics here too)");
    }

    static IllegalArgumentException badStore(Ordering o) {
        return new IllegalArgumentException("there is no such thing as an " + o
                + " store: use RELAXED, RELEASE or SEQ_CST (Rust panics here too)");
    }

    /**
     * The single ordering a strong compare-exchange runs with, given its success and failure
     * orderings: SEQ_CST if either is SEQ_CST or the pair needs both acquire and release,
     * ACQUIRE if it needs acquire (or nothing: Java has no relaxed CAS), else RELEASE.
     */
    static Ordering forExchange(Ordering success, Ordering failure) {
        if (success == null) throw new NullPointerException("success ordering");
        switch (failure) {
            case RELEASE, ACQ_REL -> throw new IllegalArgumentException("a compare-exchange failure ordering is a load: "
                    + failure + " is not allowed (use RELAXED, ACQUIRE or SEQ_CST; Rust panics here too)");
            default -> { }
        }
        if (success == SEQ_CST || failure == SEQ_CST) return SEQ_CST;
        boolean acquire = success == ACQUIRE || success == ACQ_REL || failure == ACQUIRE;
        boolean release = success == RELEASE || success == ACQ_REL;
        if (acquire && release) return SEQ_CST;
        return release ? RELEASE : ACQUIRE;
    }

    /** The load ordering a read-modify-write retries with after a failed CAS (Rust's rule). */
    Ordering loadPart() {
        return switch (this) {
            case RELEASE -> RELAXED;
            case ACQ_REL -> ACQUIRE;
            default -> this;
        };
    }
}
