package io.lockstep.observe;

/**
 * A subscriber to a {@link Topic}: receives each event, then at most one of
 * {@link #onComplete()} or {@link #onError}. A lambda is an observer that ignores the end.
 *
 * <pre>{@code
 * Subscription s = topic.subscribe(new Observer<>() {
 *     public void onEvent(Order o) { book.add(o); }
 *     public void onComplete()     { book.seal(); }
 * });
 * }</pre>
 *
 * <p>The calls for one subscription never overlap and come in publication order (for the
 * events of one publishing thread); they may come from different threads over time. An
 * exception thrown by a method is caught, handed to the topic's error handler, and delivery
 * goes on with the next event.
 *
 * @param <T> the event type
 */
@FunctionalInterface
public interface Observer<T> {
    /** One event. */
    void onEvent(T event);

    /** The topic was closed; every event published before was delivered. */
    default void onComplete() {}

    /**
     * The topic was closed with {@code cause} ({@link Topic#closeExceptionally}), or this
     * subscriber overflowed ({@link OverflowException}), or its executor refused a task.
     */
    default void onError(Throwable cause) {}
}
