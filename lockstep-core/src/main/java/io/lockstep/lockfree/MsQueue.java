package io.lockstep.lockfree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * An unbounded lock-free FIFO queue (Michael and Scott, PODC 1996) that is a
 * {@link java.util.Queue}: a drop-in for {@link java.util.concurrent.ConcurrentLinkedQueue},
 * elements removable from anywhere ({@code remove(Object)}, {@code removeIf}, {@code removeAll},
 * {@code retainAll}, {@code Iterator.remove}). Null elements are rejected
 * ({@link NullPointerException}); null queries ({@code contains(null)}, {@code remove(null)})
 * answer false.
 *
 * <p><b>Consistency:</b> {@code offer}, {@code poll}, {@code peek}, {@code isEmpty},
 * {@code remove(Object)} and {@code contains} are linearizable. {@code size} walks the queue
 * (O(n), not constant time) and is a weakly consistent count: exact when no other thread
 * operates, otherwise a number the queue need not have held at any one instant. Iterators are
 * weakly consistent, as ConcurrentLinkedQueue's: they never throw
 * {@link java.util.ConcurrentModificationException}, return each element at most once, in
 * queue order, every element present from their creation to their end, and may or may not
 * return elements added or removed meanwhile; {@code Iterator.remove} removes exactly the
 * element last returned (nothing, if another thread took it first). Bulk operations
 * ({@code addAll}, {@code removeAll}, {@code toArray}, ...) are not atomic.
 *
 * <p><b>Progress:</b> lock-free: a thread retries only when another thread's operation
 * succeeded, and a lagging tail is helped forward by whoever sees it.
 *
 * <p><b>Memory:</b> removing an element from the middle of the queue ({@code remove(Object)} and
 * the like) releases the element at once but leaves its node (about 24 bytes) linked until a
 * {@code poll} reaches it, where ConcurrentLinkedQueue unlinks it. A queue used only with
 * {@code offer} and interior removal, never polled, keeps one node per element ever offered.
 *
 * <pre>{@code
 * MsQueue<Event> events = new MsQueue<>();
 * events.offer(event);
 * Event e = events.poll();         // null if empty
 * }</pre>
 *
 * <p><b>Memory effects:</b> actions before an offer happen-before actions after the poll that
 * returns that element (and after any read of that element: peek, contains, iteration).
 *
 * @param <T> the element type
 */
public final class MsQueue<T> extends AbstractQueue<T> {
    /*
     * Implementation notes.
     *
     * Based on: Michael & Scott's non-blocking queue, with ConcurrentLinkedQueue's way of taking
     *   an element: a node's item is claimed by CAS(item -> null), which lets any thread remove
     *   any element, not only the first.
     * Differences from M-S: the GC reclaims nodes (no counted pointers, no ABA); a dequeue is
     *   two steps, claim the item of the first node after head (the linearization point), then
     *   advance head to it (anyone may do the second step); a node whose item is already null
     *   ("dead": polled or removed) is passed by advancing head over it.
     * Head slack (CLQ's): poll claims the first live node after head and moves head onto it only
     *   when it had to step over a dead node first, so head advances every second poll and a
     *   poll pays one CAS, not two, half the time (the M-S head CAS per poll cost MsQueue its lead
     *   over ConcurrentLinkedQueue once the item CAS was added for interior removal). Head may
     *   therefore pass tail; nothing relies on their order: offer walks forward from tail, poll
     *   and every traversal walk forward from head, and next never changes once set (I2).
     *   Likewise offer links after the last node reached from tail and moves tail only when it
     *   stepped past a node, so tail moves every second offer.
     * Differences from CLQ: next changes exactly once (null -> successor) and dead nodes are
     *   never self-linked, so no walk ever has to restart from head. And we
     *   never unlink a dead interior node (CLQ does, by CAS on its predecessor's next): removing
     *   from the middle only nulls the item, and the node stays on the list until head passes
     *   it. Cost: memory of one node per removed-but-not-yet-passed element (the element itself
     *   is released), and traversals (peek, poll, contains, remove, size, iteration) step over
     *   those dead nodes; a queue that is offered to and removed from but never polled grows
     *   without bound. Benefit: I2 holds, so offer stays M-S's single link CAS and no traversal
     *   ever meets a node that was moved, and remove is one CAS with nothing to repair. A
     *   removal that leaves dead nodes right after head passes them at once (skipDeadHead), so
     *   removing the oldest elements frees their nodes as polling them would.
     *
     * State: head points to a node whose item is null (the dummy); the queue's elements are the
     *   non-null items of the nodes after head, in list order. tail points to the last node or
     *   the one before it.
     * Invariants:
     *   I1 following next from tail reaches the last node; tail lags it by a node or two (offer
     *      swings tail only when it had to step past one: CLQ's tail slack), and head may be
     *      before or after tail (slack, above).
     *   I2 a node's next changes once, null -> successor, by CAS.
     *   I3 head and tail only advance.
     *   I4 a node's item changes at most once, element -> null (never back): the claim. So a
     *      dead node stays dead, and every node at or before head is dead (head advances only
     *      onto a node whose item it saw null).
     * Linearization points:
     *   offer: the link CAS on next (M-S).
     *   poll returning v: the item CAS on node n, reached from an old head over dead nodes only:
     *     those stay dead (I4) and n's item was still non-null at the CAS, so n held the oldest
     *     element then. (poll, remove and Iterator.remove all claim by this one CAS, so an
     *     element is polled once or removed once, never both.)
     *   poll/peek returning null: the read of last.next == null, for a node `last` reached from
     *     an h that was head, over dead nodes only: at that read every node after head is dead.
     *   peek returning v: the read of v from node n, reached from an old head over dead nodes:
     *     the nodes before n are dead (I4), n's item was non-null, so head had not passed n and
     *     v was the oldest element.
     *   remove(o) returning true: its item CAS, on the first node holding an equal item (the
     *     nodes before it were dead or held unequal items, which never change to o by I4), so it
     *     removes the first occurrence, as the sequential spec does. Returning false: the read
     *     of last.next == null that ends its walk; every node it visited is dead or unequal at
     *     that moment, and it started at or before head. contains likewise.
     *   size and iteration have none (weakly consistent).
     * Memory ordering: item, next, head and tail are volatile. A new node's item is a plain
     *   store made visible by the release of the link CAS on next; a reader reaches a node only
     *   through a volatile read of some next (acquire), so it sees the item (happens-before from
     *   offer to any reader of that element). The claim CAS is a full volatile RMW.
     * Progress: no step waits for another thread. Every operation is a forward walk that never
     *   restarts: offer's failed link CAS means another offer linked first (the walk goes on
     *   from there), a failed claim means another thread claimed that node. Lincheck's
     *   obstruction-freedom check passes with its default settings (MsQueueLincheckTest).
     */
    private static final VarHandle HEAD, TAIL, NEXT, ITEM;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(MsQueue.class, "head", Node.class);
            TAIL = l.findVarHandle(MsQueue.class, "tail", Node.class);
            NEXT = l.findVarHandle(Node.class, "next", Node.class);
            ITEM = l.findVarHandle(Node.class, "item", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Node {
        volatile Object item;         // I4: element -> null, once
        volatile Node next;           // I2

        Node(Object item) {
            ITEM.set(this, item);     // plain: published by the link CAS
        }
    }

    private volatile Node head;
    private volatile Node tail;

    /** An empty queue. */
    public MsQueue() {
        Node dummy = new Node(null);
        head = dummy;
        tail = dummy;
    }

    /**
     * A queue holding {@code initial}'s elements, in its iteration order (as
     * {@code new ConcurrentLinkedQueue<>(initial)}).
     *
     * @throws NullPointerException if {@code initial} or one of its elements is null
     */
    public MsQueue(Collection<? extends T> initial) {
        this();
        addAll(Objects.requireNonNull(initial, "initial"));
    }

    /** Appends {@code value}; always succeeds (returns true). */
    @Override
    public boolean offer(T value) {
        Objects.requireNonNull(value, "value");
        Node node = new Node(value);
        for (Node t = tail, p = t; ; ) {
            Node q = p.next;
            if (q == null) {
                if (NEXT.compareAndSet(p, null, node)) {              // linearization point (I2)
                    if (p != t) TAIL.compareAndSet(this, t, node);    // slack: every second offer
                    return true;
                }
            } else {
                p = (t != (t = tail)) ? t : q;                        // walk on, or jump to a newer tail
            }
        }
    }

    /** Removes and returns the oldest element, or null if empty. */
    @Override
    @SuppressWarnings("unchecked")
    public T poll() {
        Node h = head;
        for (Node prev = h, p = h.next; ; prev = p, p = p.next) {
            if (p == null) {                                          // all after h dead: empty
                if (prev != h) HEAD.compareAndSet(this, h, prev);
                return null;
            }
            Object v = p.item;
            if (v != null && ITEM.compareAndSet(p, v, null)) {       // linearization point (I4)
                if (prev != h) HEAD.compareAndSet(this, h, p);        // slack: every second claim
                return (T) v;
            }
        }
    }

    /** The oldest element without removing it, or null if empty (linearizable). */
    @Override
    @SuppressWarnings("unchecked")
    public T peek() {
        for (Node p = head.next; p != null; p = p.next) {
            Object v = p.item;
            if (v != null) return (T) v;
        }
        return null;
    }

    /** Whether the queue is empty (linearizable: {@code peek() == null}). */
    @Override
    public boolean isEmpty() {
        return peek() == null;
    }

    /**
     * The number of elements: a weakly consistent count, O(n). Exact when no other thread
     * operates; at most {@link Integer#MAX_VALUE}.
     */
    @Override
    public int size() {
        int n = 0;
        for (Node p = head.next; p != null && n < Integer.MAX_VALUE; p = p.next) {
            if (p.item != null) n++;
        }
        return n;
    }

    /** Whether some element equals {@code o} (false for null; linearizable). */
    @Override
    public boolean contains(Object o) {
        if (o == null) return false;
        for (Node p = head.next; p != null; p = p.next) {
            Object v = p.item;
            if (v != null && o.equals(v)) return true;
        }
        return false;
    }

    /** Removes the oldest element equal to {@code o}; false if none (or {@code o} is null). */
    @Override
    public boolean remove(Object o) {
        if (o == null) return false;
        for (Node p = head.next; p != null; p = p.next) {
            Object v = p.item;
            if (v != null && o.equals(v) && ITEM.compareAndSet(p, v, null)) {   // linearization point
                skipDeadHead();
                return true;
            }
        }
        return false;
    }

    /** Advances head over the dead nodes right after it, as poll would, so they can be freed. */
    private void skipDeadHead() {
        for (;;) {
            Node h = head, t = tail, next = h.next;
            if (next == null || next.item != null) return;
            if (h == t) TAIL.compareAndSet(this, t, next);
            else HEAD.compareAndSet(this, h, next);
        }
    }

    /** A weakly consistent iterator, oldest first; {@code remove} removes exactly the last returned element. */
    @Override
    public Iterator<T> iterator() {
        return new Itr();
    }

    private final class Itr implements Iterator<T> {
        private Node nextNode;        // the node of nextItem, or null at the end
        private Object nextItem;      // read when nextNode was found, so hasNext/next agree
        private Node lastNode;        // the node last returned, for remove
        private Object lastItem;

        Itr() {
            advance(head);
        }

        private void advance(Node from) {
            for (Node p = from.next; p != null; p = p.next) {
                Object v = p.item;
                if (v != null) {
                    nextNode = p;
                    nextItem = v;
                    return;
                }
            }
            nextNode = null;
            nextItem = null;
        }

        @Override
        public boolean hasNext() {
            return nextNode != null;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T next() {
            Node p = nextNode;
            if (p == null) throw new NoSuchElementException();
            lastNode = p;
            lastItem = nextItem;
            advance(p);
            return (T) lastItem;
        }

        @Override
        public void remove() {
            Node p = lastNode;
            if (p == null) throw new IllegalStateException();
            lastNode = null;
            if (ITEM.compareAndSet(p, lastItem, null)) skipDeadHead();   // no-op if already taken
            lastItem = null;
        }
    }
}
