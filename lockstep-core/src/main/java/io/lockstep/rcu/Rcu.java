package io.lockstep.rcu;

import io.lockstep.internal.Names;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * Read-copy-update: readers never block and never write a shared cache line; writers publish
 * new versions and reclaim old ones only after a grace period, when no reader can still hold
 * them. The right tool for read-mostly data: configuration, routing tables, lookup maps.
 *
 * <pre>{@code
 * record Config(Map<String, String> settings, Connection pool) {}
 * Rcu<Config> config = new Rcu<>(load());
 *
 * // readers, on any thread, virtual ones included: wait-free
 * String url = config.read(c -> c.settings().get("url"));
 * try (RcuReadGuard<Config> g = config.readLock()) {          // a longer section
 *     use(g.get().pool());
 * }
 *
 * // a writer: publish, then close the old pool once no reader can still use it
 * Config old = config.update(c -> reload(c));
 * config.callAfterGracePeriod(() -> old.pool().close());
 * }</pre>
 *
 * Compared with a {@code ReentrantReadWriteLock} around a field: readers do not contend with each
 * other or with the writer (no shared counter is written), and a writer never waits for readers
 * to publish, only to reclaim. Compared with an {@code AtomicReference}: the same publication,
 * plus a safe moment to free or close what an old version holds.
 *
 * <p><b>Read sections.</b> {@link #read} and {@link #readLock} begin a read section on the calling
 * thread; the version seen there stays valid (not reclaimed) until the section ends. Sections
 * nest. A section costs a fenced store on entry and a plain release store on exit, to a slot that
 * only the calling thread writes, padded to its own cache line, plus a thread-local lookup: wait-free, after a thread's first section on
 * this {@code Rcu} (which registers the slot, one CAS).
 *
 * <p><b>Grace periods.</b> {@link #synchronize()} returns once every section that began before it
 * has ended. Called inside a read section it would wait for itself, so it throws
 * {@link IllegalStateException} instead, as does {@link #barrier()}. A thread that ends while in
 * a section (a guard never closed) is treated as having left it.
 *
 * <p><b>Memory effects.</b> Everything a writer did before publishing a version (building it, in
 * {@link #update}) happens-before every read section that sees it. The end of every read section
 * that saw an old version happens-before the return of a {@link #synchronize()} that began after
 * the update that replaced it, and before any callback queued after that update runs.
 *
 * @param <T> the type of the versions; a version should be immutable, or at least never mutated
 *            once published
 */
public final class Rcu<T> extends AbstractRcu<T> {
    /*
     * Implementation notes.
     *
     * Based on: liburcu's memb flavor (Desnoyers et al., "User-Level Implementations of
     * Read-Copy Update", 2012) for the registry of per-thread reader slots, and HotSpot's
     * GlobalCounter for the grace period: a reader copies the global epoch into its slot with a
     * full fence; a grace period bumps the epoch and waits for slots that hold an older one.
     * Java has no membarrier(2), so the reader pays a real fence where memb pays a compiler
     * barrier, once per section: the entry's store of the epoch must be ordered before its load
     * of the version (StoreLoad); the exit is a release store (ReaderSlot I2). The algorithm
     * lives in ReaderSlot and ReaderRegistry, shared with QsbrRcu.
     *
     * Slots belong to threads through a ThreadLocal of this Rcu, so a virtual thread has its own
     * slot and a carrier's never matters; a read section may unmount and remount elsewhere.
     * Invariants:
     *   I1  slot.depth > 0 exactly while the owner is inside a section; only the outermost entry
     *       and exit touch the slot's counter.
     * Tried and rejected: a per-carrier or striped counter (readers would write a shared line,
     *   and a virtual thread that migrates would decrement another carrier's counter); a single
     *   reader count (every reader writes the same line: the rrwl case in RcuBench).
     */

    /** An Rcu whose first version is {@code initial}; callbacks run on a daemon
     * platform thread. Not a virtual one: readers that stay runnable (a virtual thread that
     * spins or yields in a loop) can keep a freshly started virtual thread off every carrier, and
     * a starved reclaimer would stall {@link #barrier()} and memory reclamation. */
    public Rcu(T initial) {
        this(initial, Thread.ofPlatform().daemon().name("lockstep-rcu-reclaimer").factory());
    }

    /** An Rcu whose deferred callbacks run on threads from {@code reclaimerThreads}. */
    public Rcu(T initial, ThreadFactory reclaimerThreads) {
        super(initial, reclaimerThreads);
    }

    /**
     * Runs {@code reader} on the current version inside a read section and returns its result.
     * The version must not escape the function to be used after it returns.
     */
    public <R> R read(Function<? super T, ? extends R> reader) {
        Objects.requireNonNull(reader, "reader");
        ReaderSlot slot = enter();
        try {
            return reader.apply(published());
        } finally {
            exit(slot);
        }
    }

    /** Begins a read section that lasts until the guard is closed, on the calling thread. */
    public RcuReadGuard<T> readLock() {
        ReaderSlot slot = enter();
        return new RcuReadGuard<>(this, slot, published());
    }

    /** Whether the calling thread is inside a read section of this Rcu. */
    public boolean isReading() {
        ReaderSlot slot = registry.slotOrNull();
        return slot != null && slot.depth > 0;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the calling thread is inside a read section of this Rcu
     */
    @Override
    public void synchronize() {
        requireNotReading("synchronize");
        super.synchronize();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the calling thread is inside a read section of this Rcu
     */
    @Override
    public void barrier() {
        requireNotReading("barrier");
        super.barrier();
    }

    private void requireNotReading(String what) {
        if (isReading()) {
            throw new IllegalStateException(what + "() inside a read section would wait for itself");
        }
    }

    private ReaderSlot enter() {
        ReaderSlot slot = registry.slot();
        if (slot.depth++ == 0) slot.announce(registry.epoch());  // I1: outermost only
        return slot;
    }

    void exit(ReaderSlot slot) {
        if (--slot.depth == 0) slot.withdraw(0);                 // I1
    }

    /**
     * Names this RCU domain for reports: {@code toString()} and Lockstep's JFR events (its grace
     * periods). Returns this domain, so a field can be named where it is created:
     * {@code private final Rcu<Config> config = new Rcu<>(initial).named("config");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this domain already has another name
     */
    public Rcu<T> named(String name) {
        return Names.name(this, name);
    }

    /** This domain's name, or null if it has none (see {@link #named}). */
    public String name() {
        return Names.of(this);
    }

    /** As {@code Rcu "config"} or {@code Rcu@1b6d3586}. */
    @Override
    public String toString() {
        return Names.describe(this);
    }
}
