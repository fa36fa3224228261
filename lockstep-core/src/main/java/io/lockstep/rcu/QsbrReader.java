package io.lockstep.rcu;

/**
 * A thread's registration with a {@link QsbrRcu}: it reads the current version for free and
 * reports quiescent states. Every method must be called on the thread that registered; close it
 * (idempotent) to unregister.
 *
 * <pre>{@code
 * try (QsbrReader<Config> reader = config.register()) {
 *     for (Event e : events) {
 *         process(e, reader.get());
 *         reader.quiescentState();      // holds no Config from here on
 *     }
 * }
 * }</pre>
 *
 * <p><b>Memory effects.</b> As {@link QsbrRcu}.
 *
 * @param <T> the type of the versions
 */
public final class QsbrReader<T> implements AutoCloseable {
    private final QsbrRcu<T> rcu;
    private final ReaderSlot slot;
    private final Thread owner;
    private boolean closed;                                      // owner-only

    QsbrReader(QsbrRcu<T> rcu, ReaderSlot slot) {
        this.rcu = rcu;
        this.slot = slot;
        this.owner = Thread.currentThread();
    }

    /**
     * The current version, valid until this reader's next quiescent state or offline period.
     *
     * @throws IllegalStateException if this reader is offline or closed
     */
    public T get() {
        checkOwner();
        if (slot.depth == 0) throw new IllegalStateException(closed ? "the reader is closed" : "the reader is offline");
        return rcu.published();
    }

    /** Reports that this thread holds no version now. Writes nothing if no grace period began since the last report. */
    public void quiescentState() {
        checkOpenOnline();
        rcu.quiesce(slot);
    }

    /** Goes offline: grace periods stop waiting for this reader (do this before blocking). */
    public void offline() {
        checkOpenOnline();
        rcu.goOffline(slot);
    }

    /** Comes back online after {@link #offline()}; does nothing if already online. */
    public void online() {
        checkOwner();
        if (closed) throw new IllegalStateException("the reader is closed");
        if (slot.depth == 0) rcu.goOnline(slot);
    }

    /** Whether this reader is online. */
    public boolean isOnline() {
        return slot.depth != 0;
    }

    /** Unregisters (going offline first); a second call does nothing. */
    @Override
    public void close() {
        checkOwner();
        if (closed) return;
        closed = true;
        rcu.unregister(slot);
    }

    private void checkOpenOnline() {
        checkOwner();
        if (closed) throw new IllegalStateException("the reader is closed");
        if (slot.depth == 0) throw new IllegalStateException("the reader is offline");
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a QSBR reader must be used by the thread that registered it");
        }
    }
}
