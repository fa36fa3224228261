package io.lockstep.observe;

/**
 * The Reactive Streams TCK against {@link Topic#asPublisher} with synchronous dispatch: signals
 * run on the producer's thread or on the thread that calls {@code request}, which exercises
 * the drain loop's no-recursion rule (rule 3.3) directly.
 */
public class TopicSyncPublisherTckTest extends TopicPublisherTckTest {
    public TopicSyncPublisherTckTest() {
        super(SubscriberOptions.defaults().capacity(16).synchronous());
    }
}
