package io.lockstep.rcu;

import io.lockstep.internal.Names;
import java.util.concurrent.ThreadFactory;

/**
 * Quiescent-state-based RCU: reads cost nothing at all (one load of the published version, no
 * fence, no store), in exchange for readers that report, now and then, a quiescent state — a
 * point where they hold no version. Suited to worker loops that can say "between requests, I
 * hold nothing": event loops, packet pipelines, request handlers.
 *
 * <pre>{@code
 * QsbrRcu<Routes> routes = new QsbrRcu<>(initialRoutes);
 *
 * // each worker thread
 * try (QsbrReader<Routes> reader = routes.register()) {
 *     while (running) {
 *         Request r = queue.take();                 // blocking: go offline around it...
 *         handle(r, reader.get());                  // reads are free while online
 *         reader.quiescentState();                  // ...or report quiescence between requests
 *     }
 * }
 *
 * // a writer
 * Routes old = routes.update(r -> r.with(newRoute));
 * routes.callAfterGracePeriod(old::release);
 * }</pre>
 *
 * <p><b>Grace periods.</b> A grace period waits until every registered, online reader has
 * reported a quiescent state (or gone offline, or unregistered). A reader that stays online and
 * never reports one stalls every grace period: go {@link QsbrReader#offline() offline} around
 * anything that blocks. {@link #synchronize()} and {@link #barrier()} called by an online reader
 * take it offline while they wait (as liburcu's QSBR flavor does), since calling them is itself
 * a quiescent state: the caller must hold no version across the call.
 *
 * <p><b>Memory effects.</b> As {@link Rcu}: the writes that built a version happen-before a
 * reader's load of it; everything a reader did before a quiescent state (or going offline)
 * happens-before the end of a grace period that waited for it.
 *
 * @param <T> the type of the versions
 */
public final class QsbrRcu<T> extends AbstractRcu<T> {
    /*
     * Implementation notes.
     *
     * Based on: liburcu's QSBR flavor (rcu_quiescent_state, rcu_thread_offline/online, and the
     * offline-during-synchronize rule), on the same slots and epoch as Rcu: an online reader's
     * slot announces the epoch of its last quiescent state; offline is 0. A quiescent state
     * whose epoch is already announced writes nothing; one that announces a newer epoch is a
     * release store, no fence: unlike Rcu's entry it needs no StoreLoad, because the epoch it
     * stores was read (volatile) after the writer published the version, so the reader's later
     * loads see that version anyway. Reads (QsbrReader.get) are a plain load. Only going online
     * pays a fence (it is an entry, as Rcu's).
     * Invariants:
     *   I1  slot.depth == 1 exactly while the owner is online.
     */

    /** A QsbrRcu whose first version is {@code initial}; callbacks run on a daemon
     * platform thread. Not a virtual one: readers that stay runnable (a virtual thread that
     * spins or yields in a loop) can keep a freshly started virtual thread off every carrier, and
     * a starved reclaimer would stall {@link #barrier()} and memory reclamation. */
    public QsbrRcu(T initial) {
        this(initial, Thread.ofPlatform().daemon().name("lockstep-qsbr-reclaimer").factory());
    }

    /** A QsbrRcu whose deferred callbacks run on threads from {@code reclaimerThreads}. */
    public QsbrRcu(T initial, ThreadFactory reclaimerThreads) {
        super(initial, reclaimerThreads);
    }

    /**
     * Registers the calling thread as an online reader; close the returned reader (on this
     * thread) to unregister.
     *
     * @throws IllegalStateException if the calling thread is already registered here
     */
    public QsbrReader<T> register() {
        if (registry.slotOrNull() != null) {
            throw new IllegalStateException("the calling thread is already registered");
        }
        ReaderSlot slot = registry.register();
        QsbrReader<T> reader = new QsbrReader<>(this, slot);
        reader.online();
        return reader;
    }

    /** {@inheritDoc} An online calling reader is offline while it waits. */
    @Override
    public void synchronize() {
        whileOffline(super::synchronize);
    }

    /** {@inheritDoc} An online calling reader is offline while it waits. */
    @Override
    public void barrier() {
        whileOffline(super::barrier);
    }

    private void whileOffline(Runnable wait) {
        ReaderSlot slot = registry.slotOrNull();
        if (slot == null || slot.depth == 0) {
            wait.run();
            return;
        }
        goOffline(slot);
        try {
            wait.run();
        } finally {
            goOnline(slot);
        }
    }

    void goOnline(ReaderSlot slot) {
        slot.depth = 1;                                          // I1
        slot.announce(registry.epoch());
    }

    void goOffline(ReaderSlot slot) {
        slot.depth = 0;                                          // I1
        slot.withdraw(0);
    }

    void quiesce(ReaderSlot slot) {
        long epoch = registry.epoch();
        if ((slot.announced() & ~ReaderSlot.FLAGS) != epoch) slot.withdraw(epoch | ReaderSlot.ACTIVE);
    }

    void unregister(ReaderSlot slot) {
        if (slot.depth != 0) goOffline(slot);
        registry.unregister(slot);
    }

    /**
     * Names this RCU domain for reports: {@code toString()} and Lockstep's JFR events (its grace
     * periods). Returns this domain, so a field can be named where it is created:
     * {@code private final QsbrRcu<Routes> routes = new QsbrRcu<>(initial).named("routes");}
     *
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException if this domain already has another name
     */
    public QsbrRcu<T> named(String name) {
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
