package io.lockstep.channel.flavors;

import java.util.ArrayList;

/**
 * The registrations waiting on one side of one channel (crossbeam's {@code Waker}). Not
 * thread-safe: {@link ZeroFlavor} guards its wakers with its own lock, the buffered flavors
 * through {@link SyncWaker}.
 */
final class Waker {
    /*
     * Implementation notes.
     * FIFO by registration: trySelect offers the oldest registration first. An entry is removed
     * by the thread that selects it, or by its own waiter (unregister) after any other ending,
     * so an abandoned wait leaves nothing behind.
     * Self-pairing: entries whose context belongs to the calling thread are skipped, so a select
     * with a send and a receive on one rendezvous channel never meets itself.
     */
    record Entry(Operation operation, Context context) {}

    private final ArrayList<Entry> entries = new ArrayList<>();

    void register(Operation operation, Context context) {
        entries.add(new Entry(operation, context));
    }

    /** Removes and returns the registration of {@code operation}, or null if it is gone. */
    Entry unregister(Operation operation) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).operation == operation) return entries.remove(i);
        }
        return null;
    }

    /**
     * Selects the oldest registration of another thread that is still waiting, removes it and
     * returns it; the caller must wake it after leaving its lock: {@code entry.context().unpark()}
     * (SyncWaker), or readying the entry's packet (ZeroFlavor, once the message has moved).
     */
    Entry trySelect() {
        Thread self = Thread.currentThread();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.context.thread != self && e.context.trySelect(e.operation)) return entries.remove(i);
        }
        return null;
    }

    /** Whether trySelect could succeed now (a snapshot). */
    boolean canSelect() {
        Thread self = Thread.currentThread();
        for (Entry e : entries) if (e.context.thread != self && e.context.selected() == null) return true;
        return false;
    }

    /** Selects every waiting registration with {@link Selected#DISCONNECTED} and wakes it. */
    void disconnect() {
        for (Entry e : entries) if (e.context.trySelect(Selected.DISCONNECTED)) e.context.unpark();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }
}
