package io.lockstep.rcu;

import io.lockstep.internal.jfr.Jfr;
import io.lockstep.internal.jfr.RcuGracePeriodEvent;
import io.lockstep.lock.RawMutex;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;

/**
 * What both flavors share: the published version, the writers' lock, the grace-period domain and
 * the deferred callbacks. The flavors differ only in how readers announce themselves.
 */
abstract sealed class AbstractRcu<T> permits Rcu, QsbrRcu {
    /*
     * Implementation notes.
     *
     * State: `current`, the published version (never null), written only under writeLock.
     * Invariants:
     *   I1  An update's function runs exactly once and alone (writeLock), so copy-modify-publish
     *       never loses a concurrent update and the function may have side effects.
     *   I2  A version replaced by an update is reachable by no read section that begins after the
     *       update returns (the volatile store publishes the new one).
     * Memory ordering: the volatile store of `current` publishes the new version: everything the
     *   updater did to build it happens-before a reader that loads it.
     */
    private static final VarHandle CURRENT;

    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(AbstractRcu.class, "current", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile T current;                                  // written under writeLock (I1)
    private final RawMutex writeLock = new RawMutex();
    final ReaderRegistry registry = new ReaderRegistry();
    private final Reclaimer reclaimer;

    AbstractRcu(T initial, ThreadFactory reclaimerThreads) {
        this.current = Objects.requireNonNull(initial, "initial");
        this.reclaimer = new Reclaimer(registry, Objects.requireNonNull(reclaimerThreads, "reclaimerThreads"));
    }

    /** The published version; safe to use only inside a read section (or while online, QSBR). */
    @SuppressWarnings("unchecked")
    final T published() {
        return (T) CURRENT.getVolatile(this);
    }

    /**
     * Publishes {@code function(current)} as the new version: copy, modify, publish. Updates are
     * serialized, so the function runs exactly once, sees the latest version and may have side
     * effects. It does not wait for readers: pass the returned old version to
     * {@link #callAfterGracePeriod} (or call {@link #synchronize}) before reclaiming it.
     *
     * <p>If the function throws or returns null, nothing is published and the exception (a
     * {@link NullPointerException} for null) propagates.
     *
     * @return the version this update replaced
     */
    public final T update(UnaryOperator<T> function) {
        Objects.requireNonNull(function, "function");
        writeLock.lock();
        try {
            T old = current;
            T next = Objects.requireNonNull(function.apply(old), "the update function returned null");
            CURRENT.setVolatile(this, next);                     // I2
            return old;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Waits for one grace period: returns once every read section that began before this call
     * has ended. Sections that begin later are not waited for. The wait spins briefly, then
     * parks in the {@link io.lockstep.park.ParkingLot}; it is not interruptible.
     */
    public void synchronize() {
        RcuGracePeriodEvent e = Jfr.rcuGracePeriod();         // null unless JFR records it
        registry.awaitGracePeriod();
        if (e != null) e.end(this);
    }

    /**
     * Runs {@code callback} after a grace period that begins after this call, on a reclaimer
     * thread, without waiting: deferred reclamation, such as closing what an old version held.
     * Callbacks run in the order they were queued; one that throws is reported to the reclaimer
     * thread's uncaught-exception handler and does not stop the others.
     */
    public final void callAfterGracePeriod(Runnable callback) {
        reclaimer.defer(Objects.requireNonNull(callback, "callback"));
    }

    /** Waits until every callback queued by {@link #callAfterGracePeriod} before this call has run. */
    public void barrier() {
        reclaimer.barrier();
    }
}
