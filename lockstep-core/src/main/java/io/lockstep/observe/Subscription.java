package io.lockstep.observe;

/**
 * A subscriber's handle on a {@link Topic}: cancel it, or look at its buffer.
 *
 * <pre>{@code
 * try (Subscription s = topic.subscribe(events::add)) {
 *     ...                                    // events arrive while the block runs
 * }                                          // unsubscribed here
 * }</pre>
 */
public interface Subscription extends AutoCloseable {
    /**
     * Unsubscribes: no delivery starts after this returns (one already running on another
     * thread finishes), buffered events are discarded, and the subscriber gets no
     * {@code onComplete}. Publishers waiting for this subscriber's room go on. Idempotent;
     * may be called from the subscriber's own callback.
     */
    void cancel();

    /** Same as {@link #cancel()}. */
    @Override
    default void close() {
        cancel();
    }

    /** Whether events may still be delivered: not cancelled, and no end delivered yet. */
    boolean isActive();

    /** Events buffered for this subscriber, not yet delivered. */
    int pending();

    /** Events this subscriber missed because its buffer was full (see {@link Overflow}). */
    long dropped();
}
