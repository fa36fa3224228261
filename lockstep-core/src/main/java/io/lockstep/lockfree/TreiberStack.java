package io.lockstep.lockfree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * An unbounded lock-free LIFO stack (Treiber, 1986).
 *
 * <p><b>Progress:</b> lock-free: a push or pop retries only when another push or pop succeeded.
 * Not wait-free: a thread can lose every race. Memory is reclaimed by the garbage collector, so
 * the ABA problem cannot occur (a node is never reused while a thread holds it).
 *
 * <pre>{@code
 * TreiberStack<Frame> free = new TreiberStack<>();
 * free.push(frame);
 * Frame f = free.pop();            // null if empty
 * }</pre>
 *
 * <p><b>Memory effects:</b> actions before a push happen-before actions after the pop that
 * returns that element.
 *
 * @param <T> the element type
 */
public final class TreiberStack<T> {
    /*
     * Implementation notes.
     * State: top, a singly linked list of immutable nodes. push: CAS top from t to new Node(e, t);
     *   pop: CAS top from t to t.next.
     * Invariants: I1 nodes are immutable once published (so a reader of top sees a consistent
     *   list); I2 top changes only by CAS.
     * Memory ordering: the CAS publishing a node is a release (volatile); reading top is an acquire.
     */
    private static final VarHandle TOP;

    static {
        try {
            TOP = MethodHandles.lookup().findVarHandle(TreiberStack.class, "top", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private record Node<T>(T value, Node<T> next) {}

    private volatile Node<T> top;

    /** An empty stack. */
    public TreiberStack() {}

    /** Pushes {@code value} (non-null). */
    public void push(T value) {
        Objects.requireNonNull(value, "value");
        Node<T> t;
        do {
            t = top;
        } while (!TOP.weakCompareAndSet(this, t, new Node<>(value, t)));
    }

    /** Pops the most recently pushed element, or null if empty. */
    public T pop() {
        for (;;) {
            Node<T> t = top;
            if (t == null) return null;
            if (TOP.weakCompareAndSet(this, t, t.next)) return t.value;
        }
    }

    /** The top element without removing it, or null. */
    public T peek() {
        Node<T> t = top;
        return t == null ? null : t.value;
    }

    /** Whether the stack is empty (a snapshot). */
    public boolean isEmpty() {
        return top == null;
    }

    /** One attempt at a push (for elimination back-off); false if it lost a race. */
    boolean tryPush(T value) {
        Node<T> t = top;
        return TOP.compareAndSet(this, t, new Node<>(value, t));
    }

    /** One attempt at a pop; returns {@code empty} if empty, {@code contended} if it lost a race. */
    Object tryPop(Object contended) {
        Node<T> t = top;
        if (t == null) return null;
        return TOP.compareAndSet(this, t, t.next) ? t.value : contended;
    }
}
