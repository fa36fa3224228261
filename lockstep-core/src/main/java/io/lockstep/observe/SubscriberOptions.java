package io.lockstep.observe;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a {@link Topic} delivers to one subscriber: the buffer's capacity, what happens when it
 * is full, and which thread runs the callbacks. Immutable; each {@code with}-style method
 * returns a copy.
 *
 * <pre>{@code
 * SubscriberOptions o = SubscriberOptions.defaults()     // 256 events, BLOCK_PUBLISHER, virtual threads
 *         .capacity(1024)
 *         .overflow(Overflow.DROP_OLDEST)
 *         .executor(pool);                               // or .synchronous()
 * }</pre>
 *
 * <p><b>Dispatch.</b> With an {@link Executor} (the default runs each delivery burst on a new
 * virtual thread), a burst of deliveries is one task, so a slow subscriber holds only its own
 * task and never delays the publisher or the other subscribers (beyond its
 * {@link Overflow} policy). {@link #synchronous()} runs the callbacks on the thread that made
 * them due: the publisher (before {@code publish} returns), or the thread calling
 * {@code request} for a {@link java.util.concurrent.Flow} subscriber; it is the fastest choice
 * for short callbacks and means a slow callback slows that thread. A thread already running a
 * callback never runs another one nested: the new delivery runs after the current callback
 * returns, in a loop.
 *
 * @param capacity events buffered at most for this subscriber (at least 1)
 * @param overflow what a full buffer does
 * @param executor where deliveries run; null for synchronous dispatch
 */
public record SubscriberOptions(int capacity, Overflow overflow, Executor executor) {
    /** Flow's default buffer size. */
    public static final int DEFAULT_CAPACITY = 256;

    /** The largest buffer: events are held in one array. */
    public static final int MAX_CAPACITY = 1 << 24;

    private static final Executor VIRTUAL = r -> Thread.ofVirtual().name("lockstep-topic").start(r);

    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException if {@code capacity} is not in 1..{@link #MAX_CAPACITY}
     * @throws NullPointerException     if {@code overflow} is null
     */
    public SubscriberOptions {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in 1.." + MAX_CAPACITY + ": " + capacity);
        }
        Objects.requireNonNull(overflow, "overflow");
    }

    /** 256 events, {@link Overflow#BLOCK_PUBLISHER}, each delivery burst on a new virtual thread. */
    public static SubscriberOptions defaults() {
        return new SubscriberOptions(DEFAULT_CAPACITY, Overflow.BLOCK_PUBLISHER, VIRTUAL);
    }

    /** These options with a buffer of {@code capacity} events. */
    public SubscriberOptions capacity(int capacity) {
        return new SubscriberOptions(capacity, overflow, executor);
    }

    /** These options with {@code overflow} for a full buffer. */
    public SubscriberOptions overflow(Overflow overflow) {
        return new SubscriberOptions(capacity, overflow, executor);
    }

    /** These options, delivering on {@code executor}. */
    public SubscriberOptions executor(Executor executor) {
        return new SubscriberOptions(capacity, overflow, Objects.requireNonNull(executor, "executor"));
    }

    /** These options, delivering on the thread that makes a delivery due (see the class comment). */
    public SubscriberOptions synchronous() {
        return new SubscriberOptions(capacity, overflow, null);
    }

    /** Whether deliveries run on the thread that makes them due. */
    public boolean isSynchronous() {
        return executor == null;
    }
}
