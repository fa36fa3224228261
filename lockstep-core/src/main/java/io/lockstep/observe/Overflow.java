package io.lockstep.observe;

/**
 * What a {@link Topic} does with an event for a subscriber whose buffer is full. Chosen per
 * subscriber ({@link SubscriberOptions#overflow}), so one slow subscriber's policy never
 * decides what another subscriber sees.
 *
 * <pre>{@code
 * topic.subscribe(ticker::show, SubscriberOptions.defaults()
 *         .capacity(16).overflow(Overflow.DROP_OLDEST));     // a display wants the latest prices
 * topic.subscribe(audit::append, SubscriberOptions.defaults()
 *         .overflow(Overflow.BLOCK_PUBLISHER));               // an audit log must miss nothing
 * }</pre>
 *
 * <p>Every event a subscriber misses is counted in its {@link Subscription#dropped()}.
 */
public enum Overflow {
    /** The oldest buffered event is discarded to make room for the new one. */
    DROP_OLDEST,
    /** The new event is discarded for this subscriber; the buffer is kept. */
    DROP_NEWEST,
    /**
     * The publisher waits for room (parking, not spinning); a timed
     * {@link Topic#publish(Object, java.time.Duration) publish} gives up on this subscriber at
     * its deadline, and that subscriber misses the event. The other subscribers get the event
     * before the publisher waits.
     */
    BLOCK_PUBLISHER,
    /**
     * The subscriber is failed: it receives the events already buffered, then
     * {@code onError} with an {@link OverflowException}, and is removed from the topic.
     */
    FAIL_SUBSCRIBER
}
