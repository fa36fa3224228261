package io.lockstep.rcu;

/**
 * A read section of an {@link Rcu}, open until {@link #close()}: the version {@link #get()}
 * returns is not reclaimed before then. Use it in try-with-resources, on the thread that opened
 * it; guards nest.
 *
 * <pre>{@code
 * try (RcuReadGuard<Routes> routes = table.readLock()) {
 *     Route r = routes.get().lookup(address);
 *     forward(packet, r);                 // r stays valid until the guard closes
 * }
 * }</pre>
 *
 * <p><b>Memory effects.</b> As {@link Rcu}: the writes that built the version happen-before
 * {@link #get()} returns it.
 *
 * @param <T> the type of the versions
 */
public final class RcuReadGuard<T> implements AutoCloseable {
    private final Rcu<T> rcu;
    private final ReaderSlot slot;
    private final T version;
    private boolean closed;                                      // owner-only

    RcuReadGuard(Rcu<T> rcu, ReaderSlot slot, T version) {
        this.rcu = rcu;
        this.slot = slot;
        this.version = version;
    }

    /**
     * The version this section sees; the same one for the whole section.
     *
     * @throws IllegalStateException if the guard is closed
     */
    public T get() {
        if (closed) throw new IllegalStateException("the read section has ended");
        return version;
    }

    /**
     * Ends the read section; a second call does nothing.
     *
     * @throws IllegalStateException if called by a thread other than the one that opened it
     *                               (the section stays open)
     */
    @Override
    public void close() {
        if (slot.owner.get() != Thread.currentThread()) {
            throw new IllegalStateException("a read guard must be closed by the thread that opened it");
        }
        if (closed) return;
        closed = true;
        rcu.exit(slot);
    }
}
