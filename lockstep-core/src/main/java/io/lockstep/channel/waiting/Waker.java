package io.lockstep.channel.waiting;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The registrations waiting on one side of one channel (crossbeam's {@code Waker}). Not
 * thread-safe: the buffered flavors guard it through {@link SyncWaker} (the rendezvous uses the
 * lock-free {@link WaitQueue} instead).
 */
final class Waker {
    /*
     * Implementation notes.
     * FIFO by registration: trySelect offers the oldest registration first. An entry is removed
     * by the thread that selects it, or by its own waiter (unregister) after any other ending,
     * so an abandoned wait leaves nothing behind.
     * An intrusive doubly linked list of the Operations themselves (an operation is registered
     * with one waker at a time, once), so registering and unregistering are O(1) and allocate
     * nothing: a channel may have many thousands of pending async operations, each registered
     * here until it is served.
     * size is written under the owner's lock with release stores and may be read without it
     *   (a snapshot for monitoring: a status query never blocks).
     * Self-pairing: entries whose context belongs to the calling thread are skipped (a thread
     * never wakes its own wait; the rendezvous WaitQueue does the same).
     */

    private static final VarHandle SIZE;

    static {
        try {
            SIZE = MethodHandles.lookup().findVarHandle(Waker.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Operation head, tail;            // the registrations, oldest first
    private int size;                        // written under the owner's lock (release stores)

    void register(Operation operation, Context context) {
        operation.context = context;
        operation.registered = true;
        operation.prev = tail;
        if (tail == null) head = operation;
        else tail.next = operation;
        tail = operation;
        SIZE.setRelease(this, size + 1);
    }

    /** Removes the registration of {@code operation}; false if it was already gone. */
    boolean unregister(Operation operation) {
        if (!operation.registered) return false;
        remove(operation);
        return true;
    }

    private void remove(Operation o) {
        if (o.prev == null) head = o.next;
        else o.prev.next = o.next;
        if (o.next == null) tail = o.prev;
        else o.next.prev = o.prev;
        o.prev = o.next = null;
        o.registered = false;
        SIZE.setRelease(this, size - 1);
    }

    /**
     * Selects the oldest registration of another thread that is still waiting, removes it and
     * returns it; the caller must wake it after leaving its lock: {@code op.context.unpark()}.
     */
    Operation trySelect() {
        Thread self = Thread.currentThread();
        for (Operation o = head; o != null; o = o.next) {
            if (o.context.thread != self && o.context.trySelect(o)) {
                remove(o);
                return o;
            }
        }
        return null;
    }

    /** Selects every waiting registration with {@link Selected#DISCONNECTED} and wakes it. */
    void disconnect() {
        for (Operation o = head; o != null; o = o.next) {
            if (o.context.trySelect(Selected.DISCONNECTED)) o.context.unpark();
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** How many registrations are present; safe without the lock (a snapshot). */
    int size() {
        return (int) SIZE.getAcquire(this);
    }
}
