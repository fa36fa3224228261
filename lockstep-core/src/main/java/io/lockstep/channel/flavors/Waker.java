package io.lockstep.channel.flavors;

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
     * A doubly linked list, and each Operation knows its entry (an operation is registered with
     * one waker at a time), so registering and unregistering are O(1): a channel may have many
     * thousands of pending async operations, each registered here until it is served.
     * Self-pairing: entries whose context belongs to the calling thread are skipped, so a select
     * with a send and a receive on one rendezvous channel never meets itself.
     */

    /** One registration: a node of the waker's list. */
    static final class Entry {
        private final Operation operation;
        private final Context context;
        private Entry prev, next;

        Entry(Operation operation, Context context) {
            this.operation = operation;
            this.context = context;
        }

        Operation operation() {
            return operation;
        }

        Context context() {
            return context;
        }
    }

    private Entry head, tail;
    private int size;

    void register(Operation operation, Context context) {
        Entry e = new Entry(operation, context);
        operation.entry = e;
        e.prev = tail;
        if (tail == null) head = e;
        else tail.next = e;
        tail = e;
        size++;
    }

    /** Removes and returns the registration of {@code operation}, or null if it is gone. */
    Entry unregister(Operation operation) {
        Entry e = operation.entry;
        if (e != null) remove(e);
        return e;
    }

    private void remove(Entry e) {
        if (e.prev == null) head = e.next;
        else e.prev.next = e.next;
        if (e.next == null) tail = e.prev;
        else e.next.prev = e.prev;
        e.prev = e.next = null;
        e.operation.entry = null;
        size--;
    }

    /**
     * Selects the oldest registration of another thread that is still waiting, removes it and
     * returns it; the caller must wake it after leaving its lock: {@code entry.context().unpark()}
     * (SyncWaker), or readying the entry's packet (ZeroFlavor, once the message has moved).
     */
    Entry trySelect() {
        Thread self = Thread.currentThread();
        for (Entry e = head; e != null; e = e.next) {
            if (e.context.thread != self && e.context.trySelect(e.operation)) {
                remove(e);
                return e;
            }
        }
        return null;
    }

    /** Whether trySelect could succeed now (a snapshot). */
    boolean canSelect() {
        Thread self = Thread.currentThread();
        for (Entry e = head; e != null; e = e.next) {
            if (e.context.thread != self && e.context.selected() == null) return true;
        }
        return false;
    }

    /** Selects every waiting registration with {@link Selected#DISCONNECTED} and wakes it. */
    void disconnect() {
        for (Entry e = head; e != null; e = e.next) {
            if (e.context.trySelect(Selected.DISCONNECTED)) e.context.unpark();
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }
}
