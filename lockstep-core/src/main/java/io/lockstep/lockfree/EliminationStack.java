package io.lockstep.lockfree;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A lock-free stack with elimination back-off (Hendler, Shavit, Yerushalmi, 2004): a push and a
 * pop that collide on a contended top meet in a side array and cancel out without touching it.
 *
 * <p><b>Progress:</b> lock-free, as {@link TreiberStack}: the elimination attempt is bounded
 * (a few spins), after which the thread retries on the stack itself.
 *
 * <pre>{@code
 * EliminationStack<Task> tasks = new EliminationStack<>();
 * tasks.push(task);
 * Task t = tasks.pop();            // null if empty
 * }</pre>
 *
 * <p><b>Memory effects:</b> actions before a push happen-before actions after the pop that
 * returns that element (through the stack or through an exchange slot; both are volatile).
 *
 * @param <T> the element type
 */
public final class EliminationStack<T> {
    /*
     * Implementation notes.
     * Based on: Hendler-Shavit-Yerushalmi elimination back-off, simplified as in "The Art of
     *   Multiprocessor Programming" ch. 11: an array of exchange slots; a pusher that loses the
     *   CAS on top parks its value in a random empty slot for a few spins; a popper that loses
     *   the CAS looks in a random slot and, if it holds a value, takes it by CAS to null.
     * Invariants: I1 a slot holds at most one offered value; I2 an offered value leaves its slot
     *   exactly once: taken by a popper (CAS value -> null) or withdrawn by its pusher (the same
     *   CAS); whoever wins owns it, so no value is lost or duplicated.
     * Linearizability: an eliminated pair linearizes as push immediately followed by pop, at the
     *   popper's successful CAS (both operations are in progress then).
     */
    private static final int SLOTS = 8;
    static final int OFFER_SPINS = 64;                                  // package-private: the Lincheck test's loop bound
    private static final Object CONTENDED = new Object();

    private final TreiberStack<T> stack = new TreiberStack<>();
    private final AtomicReferenceArray<Offer> exchange = new AtomicReferenceArray<>(SLOTS);

    /** An empty stack. */
    public EliminationStack() {}

    /** Pushes {@code value} (non-null). */
    public void push(T value) {
        Objects.requireNonNull(value, "value");
        while (!stack.tryPush(value)) {
            if (offer(value)) return;
        }
    }

    /** Pops the most recently pushed element, or null if empty. */
    @SuppressWarnings("unchecked")
    public T pop() {
        for (;;) {
            Object v = stack.tryPop(CONTENDED);
            if (v != CONTENDED) return (T) v;
            Object taken = take();
            if (taken != null) return (T) taken;
        }
    }

    /** Whether the stack is empty (a snapshot; ignores values in flight in the exchange). */
    public boolean isEmpty() {
        return stack.isEmpty();
    }

    /** A value on offer; a fresh box per offer, so identity tells offers apart. */
    private record Offer(Object value) {}

    private boolean offer(T value) {
        int i = ThreadLocalRandom.current().nextInt(SLOTS);
        Offer offer = new Offer(value);
        if (!exchange.compareAndSet(i, null, offer)) return false;      // I1
        for (int spin = 0; spin < OFFER_SPINS; spin++) {
            if (exchange.get(i) != offer) return true;                  // taken by a popper
            Thread.onSpinWait();
        }
        return !exchange.compareAndSet(i, offer, null);                 // I2: withdraw, or it was taken
    }

    private Object take() {
        int i = ThreadLocalRandom.current().nextInt(SLOTS);
        Offer o = exchange.get(i);
        return o != null && exchange.compareAndSet(i, o, null) ? o.value : null;
    }
}
